import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * A new folder under the system's temporary directory for the tests around the call (a file, or the describe
 * block it is called in), removed after them with everything they wrote into it.
 */
export function scratchDir(prefix: string): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}
