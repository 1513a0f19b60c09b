/**
 * The files a response-import check process (response-import-check.ts) reads and writes in its directory (the
 * process itself is started as every job's check is, lib/jobs/check-process.ts).
 */
import fs from "node:fs";
import path from "node:path";
import type { ImportedResponse, ResponseIdColumn, ResponseImportError, ResponseImportOptions, ResponseImportPreview, ResponseImportSummary } from "@/lib/io/response-import";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";
import { CHECK_FILES, runCheckScript, type CheckProgress } from "./check-process";

export { CHECK_FILES, importsDirectory, readCheckProgress, type CheckProgress } from "./check-process";

/** What the check found. ids: every response id with its spreadsheet row, for the duplicate check against the database. */
export type PassedCheck = {
  ok: true;
  summary: ResponseImportSummary;
  format: "qualtrics" | "plain";
  timeZone?: string;
  responseIdColumn?: ResponseIdColumn;
  responses: number;
  ids: Array<[string, number]>;
};
export type CheckResult = { ok: false; errors: ResponseImportError[] } | { ok: true; preview: ResponseImportPreview; check: PassedCheck | { ok: false; errors: ResponseImportError[] } };

/** Stores the upload and what the check needs in a fresh directory. */
export function prepareCheckDirectory(dir: string, input: { bytes: Uint8Array; definition: QuestionnaireDefinition; options: ResponseImportOptions }): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, CHECK_FILES.upload), input.bytes);
  fs.writeFileSync(path.join(dir, CHECK_FILES.input), JSON.stringify({ definition: input.definition, options: input.options }));
}

/**
 * Runs the check in a child process (response-import-check.ts) and resolves with its result; onProgress sees the
 * rows checked about once a second.
 * @throws when the process ends without a result (it crashed); its output is in check.log.
 */
export function runCheckProcess(dir: string, mode: "preview" | "import", onProgress?: (progress: CheckProgress) => void): Promise<CheckResult> {
  return runCheckScript<CheckResult>("lib/jobs/response-import-check.ts", dir, [mode], onProgress);
}

/** Reads the checked responses back, a batch at a time, without holding the whole file's objects in memory. */
export async function* readCheckedResponses(dir: string, batchSize: number): AsyncGenerator<ImportedResponse[]> {
  const { createInterface } = await import("node:readline");
  const lines = createInterface({ input: fs.createReadStream(path.join(dir, CHECK_FILES.responses), "utf8"), crlfDelay: Infinity });
  let batch: ImportedResponse[] = [];
  for await (const line of lines) {
    if (!line) continue;
    batch.push(JSON.parse(line) as ImportedResponse);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
