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
const playwright = read(playwrightFile);
if (playwright?.stats) {
  totals.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  totals.failed += playwright.stats.unexpected ?? 0;
  totals.skipped += playwright.stats.skipped ?? 0;
}
console.log(`\nunit+integration: ${vitest ? "reported" : "no report"}; end-to-end: ${playwright ? "reported" : "no report"}`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
