/**
 * The files a response-import check process (response-import-check.ts) reads and writes in its directory, and
 * how the web server starts one and waits for it without blocking its own event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ImportedResponse, ResponseIdColumn, ResponseImportError, ResponseImportOptions, ResponseImportPreview, ResponseImportSummary } from "@/lib/io/response-import";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";

export const CHECK_FILES = { upload: "upload.bin", input: "input.json", progress: "progress.json", result: "result.json", responses: "responses.ndjson", log: "check.log" } as const;

/** Niceness of the check process (0 = normal, 19 = lowest): it yields the CPU to the web server. */
const CHECK_NICENESS = 10;

export type CheckProgress = { rowsChecked: number; rowsTotal: number | null; updatedAt: string };

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

/** Where uploads of import jobs and previews are kept: `VARSTUDY_IMPORTS_DIR`, default `data/imports` (git-ignored). */
export function importsDirectory(): string {
  return path.resolve(process.env.VARSTUDY_IMPORTS_DIR?.trim() || path.join(process.cwd(), "data", "imports"));
}

/** Stores the upload and what the check needs in a fresh directory. */
export function prepareCheckDirectory(dir: string, input: { bytes: Uint8Array; definition: QuestionnaireDefinition; options: ResponseImportOptions }): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, CHECK_FILES.upload), input.bytes);
  fs.writeFileSync(path.join(dir, CHECK_FILES.input), JSON.stringify({ definition: input.definition, options: input.options }));
}

export function readCheckProgress(dir: string): CheckProgress | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.progress), "utf8")) as CheckProgress;
  } catch {
    return null; // not written yet; the writer renames complete files into place
  }
}

/**
 * Runs the check in a child process (`tsx lib/jobs/response-import-check.ts`, as the runner's jobs run) and
 * resolves with its result; onProgress sees the rows checked about once a second.
 * @throws when the process ends without a result (it crashed); its output is in check.log.
 */
export function runCheckProcess(dir: string, mode: "preview" | "import", onProgress?: (progress: CheckProgress) => void): Promise<CheckResult> {
  const root = process.cwd();
  const log = fs.openSync(path.join(dir, CHECK_FILES.log), "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "lib/jobs/response-import-check.ts"), dir, mode], {
      cwd: root,
      stdio: ["ignore", log, log],
      // The check needs no secrets: it reads two files and writes three.
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/DATABASE_URL|SECRET|PASSWORD|TOKEN/i.test(key))) as NodeJS.ProcessEnv,
    });
  } finally {
    fs.closeSync(log);
  }
  // Background work: on a small machine the check must not take the CPU from the server answering participants.
  if (child.pid !== undefined) {
    try {
      os.setPriority(child.pid, CHECK_NICENESS);
    } catch {
      // not permitted here: the check runs at normal priority
    }
  }
  return new Promise((resolve, reject) => {
    let last = "";
    const poll = setInterval(() => {
      const progress = readCheckProgress(dir);
      if (progress && progress.updatedAt !== last) {
        last = progress.updatedAt;
        onProgress?.(progress);
      }
    }, 1000);
    poll.unref();
    child.on("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      try {
        resolve(JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.result), "utf8")) as CheckResult);
      } catch {
        let output = "";
        try {
          output = fs.readFileSync(path.join(dir, CHECK_FILES.log), "utf8").trim().split("\n").slice(-3).join(" / ");
        } catch {
          // no log either
        }
        reject(new Error(`the check process ${signal ? `was stopped by ${signal}` : `exited with code ${code}`} without a result${output ? `: ${output}` : ""}`));
      }
    });
  });
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
