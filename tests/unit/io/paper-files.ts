import { readFileSync } from "node:fs";
import path from "node:path";
import type { PaperImportResult, PaperImportSuccess } from "@/lib/io/paper-record";

/** A paper file from tests/fixtures/papers, as bytes (the importers detect the encoding themselves). */
export const paperFixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../fixtures/papers", name));

/** The report of a paper file that must import; a refused file ends the test with the importer's errors. */
export function imported(result: PaperImportResult): PaperImportSuccess {
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result;
}
