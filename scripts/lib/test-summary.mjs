// Adds up the Vitest and Playwright JSON reports into one closing line: "total: N passed, N failed, N skipped".
import fs from "node:fs";

const [vitestFile, playwrightFile, outsideTestsFile] = process.argv.slice(2);
const read = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);
const totals = { passed: 0, failed: 0, skipped: 0 };

const vitest = read(vitestFile);
if (vitest) {
  totals.passed += vitest.numPassedTests ?? 0;
  totals.failed += vitest.numFailedTests ?? 0;
  totals.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
// Errors outside any test fail Vitest's run but are not in its JSON report; print them last, where CI's tail shows them.
const outsideTests = read(outsideTestsFile) ?? [];
totals.failed += outsideTests.length;
for (const error of outsideTests) {
  const where = [error.file, error.test].filter(Boolean).join(" › ") || "no test named";
  console.log(`\nFailed outside any test — ${error.kind} (${where}): ${error.message}\n${error.stack}`);
}
// The tensorflow backend's tests are named "[tensorflow] …" and skipped where `npm run setup:tensorflow` was not
// run; say so on its own line, so a green run without them is never mistaken for one with them.
if (vitest) {
  const tensorflowTests = (vitest.testResults ?? [])
    .flatMap((file) => file.assertionResults ?? [])
    .filter((test) => (test.fullName ?? "").includes("[tensorflow]"));
  const ran = tensorflowTests.filter((test) => test.status === "passed" || test.status === "failed").length;
  const skipped = tensorflowTests.length - ran;
  if (tensorflowTests.length > 0) {
    console.log(
      skipped > 0
        ? `\ntensorflow backend: ${skipped} test(s) SKIPPED because it is not installed (npm run setup:tensorflow), ${ran} ran`
        : `\ntensorflow backend: installed, ${ran} test(s) ran on it`,
    );
  }
}
// Set by .ci/run when `npm run setup:tensorflow` failed: counted as a failure, after the tests have all run.
if (process.env.VARSTUDY_TENSORFLOW_SETUP_FAILED) {
  totals.failed += 1;
  console.log(`\nFailed: npm run setup:tensorflow — ${process.env.VARSTUDY_TENSORFLOW_SETUP_FAILED}`);
}
const playwright = read(playwrightFile);
if (playwright?.stats) {
  totals.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  totals.failed += playwright.stats.unexpected ?? 0;
  totals.skipped += playwright.stats.skipped ?? 0;
}
console.log(`\nunit+integration: ${vitest ? "reported" : "no report"}; end-to-end: ${playwright ? "reported" : "no report"}`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
