// A Vitest reporter for `npm test`: writes the errors Vitest caught outside any test (unhandled rejections,
// errors thrown after a test ended, crashed workers) to tmp/vitest-unhandled-errors.json. They fail the run, but
// Vitest's JSON report leaves them out, so without this file the closing summary would say "0 failed".
import fs from "node:fs";
import path from "node:path";
import type { Reporter } from "vitest/reporters";

const OUTPUT = path.join("tmp", "vitest-unhandled-errors.json");

type CaughtError = { name?: string; message?: string; stack?: string; type?: string; VITEST_TEST_PATH?: string; VITEST_TEST_NAME?: string };

export default class UnhandledErrorsReporter implements Reporter {
  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<unknown>) {
    const errors = unhandledErrors.map((raw) => {
      const error = (raw ?? {}) as CaughtError;
      return {
        kind: error.type ?? error.name ?? "Error",
        message: error.message ?? String(raw),
        testFile: error.VITEST_TEST_PATH ?? null,
        test: error.VITEST_TEST_NAME ?? null,
        stack: (error.stack ?? "").split("\n").slice(0, 12).join("\n"),
      };
    });
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, JSON.stringify(errors, null, 2));
  }
}
