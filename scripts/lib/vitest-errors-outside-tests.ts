// A Vitest reporter for `npm test`: writes the errors that failed the run outside any test — unhandled rejections,
// errors thrown after a test ended, failing beforeAll/afterAll hooks, files that did not load — to
// tmp/vitest-errors-outside-tests.json. Vitest's JSON report leaves them all out, so without this file the closing
// summary would say "0 failed" for a run that failed.
import fs from "node:fs";
import path from "node:path";
import type { Reporter, TestModule, TestSuite } from "vitest/node";

const OUTPUT = path.join("tmp", "vitest-errors-outside-tests.json");

type ReportedError = { name?: string; message?: string; stack?: string; type?: string; VITEST_TEST_PATH?: string; VITEST_TEST_NAME?: string };

function describeError(raw: unknown, where: { kind?: string; file?: string | null; test?: string | null } = {}) {
  const error = (raw ?? {}) as ReportedError;
  return {
    kind: where.kind ?? error.type ?? error.name ?? "Error",
    message: error.message ?? String(raw),
    file: where.file ?? error.VITEST_TEST_PATH ?? null,
    test: where.test ?? error.VITEST_TEST_NAME ?? null,
    stack: (error.stack ?? "").split("\n").slice(0, 8).join("\n"),
  };
}

export default class ErrorsOutsideTestsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const errors = unhandledErrors.map((error) => describeError(error));
    for (const testModule of modules) {
      const file = testModule.moduleId;
      for (const error of testModule.errors()) errors.push(describeError(error, { kind: "Error in the test file (outside any test)", file }));
      for (const suite of testModule.children.allSuites() as Iterable<TestSuite>) {
        for (const error of suite.errors()) errors.push(describeError(error, { kind: "Error in a hook of a describe block", file, test: suite.fullName }));
      }
    }
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, JSON.stringify(errors, null, 2));
  }
}
