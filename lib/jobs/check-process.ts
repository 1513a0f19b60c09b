/**
 * A job's check (decoding and validating an uploaded file) runs in a child process: it is pure CPU work that would
 * stop the web server's event loop for seconds to minutes. The child reads and writes files in the job's own
 * directory under importsDirectory(); the server polls its progress file and reads its result when it exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CHECK_FILES = { upload: "upload.bin", input: "input.json", progress: "progress.json", result: "result.json", responses: "responses.ndjson", log: "check.log" } as const;

/** Niceness of the check process (0 = normal, 19 = lowest): it yields the CPU to the web server. */
const CHECK_NICENESS = 10;

export type CheckProgress = { rowsChecked: number; rowsTotal: number | null; updatedAt: string };

/** Where uploads of import jobs and previews are kept: `VARSTUDY_IMPORTS_DIR`, default `data/imports` (git-ignored). */
export function importsDirectory(): string {
  return path.resolve(process.env.VARSTUDY_IMPORTS_DIR?.trim() || path.join(process.cwd(), "data", "imports"));
}

/** Writes a file the other process may be reading: complete, renamed into place. */
export function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

export function readCheckProgress(dir: string): CheckProgress | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.progress), "utf8")) as CheckProgress;
  } catch {
    return null; // not written yet; the writer renames complete files into place
  }
}

/**
 * Runs `tsx <script> <dir> ...args` (as the runner's jobs run) and resolves with the result it wrote; onProgress
 * sees the rows checked about once a second.
 * @param script path from the project root, e.g. "lib/jobs/response-import-check.ts".
 * @throws when the process ends without a result (it crashed); its output is in check.log.
 */
export function runCheckScript<Result>(script: string, dir: string, args: string[], onProgress?: (progress: CheckProgress) => void): Promise<Result> {
  const root = process.cwd();
  const log = fs.openSync(path.join(dir, CHECK_FILES.log), "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, script), dir, ...args], {
      cwd: root,
      stdio: ["ignore", log, log],
      // The check needs no secrets: it reads and writes files in its directory.
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
        resolve(JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.result), "utf8")) as Result);
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

