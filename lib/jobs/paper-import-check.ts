/**
 * Child process of a paper import (lib/jobs/paper-import-job.ts): parses the stored upload and checks it against
 * the study's papers (checkPaperFile), which is pure CPU work (about 2 ms per BibTeX entry, a minute for a 20 MB
 * file) and would stop every other request if it ran in the web server's event loop. It never opens the database.
 *
 * Usage: tsx lib/jobs/paper-import-check.ts <job directory>
 *   reads   <dir>/upload.bin and <dir>/input.json (PaperCheckInput)
 *   writes  <dir>/result.json (the PaperImportReport: the papers to write, or the located problems)
 */
import fs from "node:fs";
import path from "node:path";
import { checkPaperFile } from "@/lib/coding/paper-import";
import { CHECK_FILES, writeAtomically } from "./check-process";
import type { PaperCheckInput } from "./paper-import-job";

function main(dir: string): void {
  const input = JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.input), "utf8")) as PaperCheckInput;
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, CHECK_FILES.upload)));
  const result = checkPaperFile(bytes, { fileName: input.fileName, format: input.format, csvMapping: input.csvMapping, existing: input.existing });
  writeAtomically(path.join(dir, CHECK_FILES.result), JSON.stringify(result));
}

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: paper-import-check.ts <job directory>");
  process.exit(2);
}
try {
  main(dir);
} catch (error) {
  // The parent reports a missing result as a failed check; the stack helps whoever reads check.log.
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
