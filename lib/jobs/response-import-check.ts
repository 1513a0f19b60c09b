/**
 * Child process of a response import (lib/jobs/response-import-job.ts): decodes the stored upload and runs the
 * whole check of lib/io/response-import.ts, which is pure CPU work (about 14 s for 50,000 rows) and would stop
 * every other request if it ran in the web server's event loop. It never opens the database.
 *
 * Usage: tsx lib/jobs/response-import-check.ts <job directory> preview|import
 *   reads   <dir>/upload.bin and <dir>/input.json ({ definition, options })
 *   writes  <dir>/progress.json (rows checked so far, renamed into place) and then <dir>/result.json;
 *           in import mode the checked responses go to <dir>/responses.ndjson, one per line, for the writer.
 */
import fs from "node:fs";
import path from "node:path";
import { readUploadText } from "@/lib/io/text-encoding";
import { importResponses, previewResponseImport, type ResponseImportOptions } from "@/lib/io/response-import";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";
import { writeAtomically } from "./check-process";
import { CHECK_FILES, type CheckProgress, type CheckResult } from "./response-import-files";

function main(dir: string, mode: "preview" | "import"): void {
  const input = JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILES.input), "utf8")) as { definition: QuestionnaireDefinition; options: ResponseImportOptions };
  const progress = (rowsChecked: number, rowsTotal: number | null) =>
    writeAtomically(path.join(dir, CHECK_FILES.progress), JSON.stringify({ rowsChecked, rowsTotal, updatedAt: new Date().toISOString() } satisfies CheckProgress));
  const finish = (result: CheckResult) => writeAtomically(path.join(dir, CHECK_FILES.result), JSON.stringify(result));

  const decoded = readUploadText(new Uint8Array(fs.readFileSync(path.join(dir, CHECK_FILES.upload))));
  if (!decoded.ok) return finish({ ok: false, errors: [{ row: 1, column: 1, columnName: "", message: decoded.error }] });
  const preview = previewResponseImport(decoded.text, input.definition, input.options);
  if (!preview.ok) return finish({ ok: false, errors: preview.errors });
  progress(0, preview.preview.dataRowCount);
  const checked = importResponses(decoded.text, input.definition, input.options, (rows, total) => progress(rows, total));
  progress(preview.preview.dataRowCount, preview.preview.dataRowCount);
  if (!checked.ok) return finish({ ok: true, preview: preview.preview, check: { ok: false, errors: checked.errors } });
  if (mode === "import") {
    const out = fs.openSync(path.join(dir, CHECK_FILES.responses), "w");
    try {
      // Written in chunks: one string for 200,000 responses would be hundreds of megabytes.
      for (let start = 0; start < checked.responses.length; start += 1000) {
        fs.writeSync(out, checked.responses.slice(start, start + 1000).map((response) => JSON.stringify(response)).join("\n") + "\n");
      }
    } finally {
      fs.closeSync(out);
    }
  }
  finish({
    ok: true,
    preview: preview.preview,
    check: {
      ok: true,
      summary: checked.summary,
      format: checked.format,
      ...(checked.timeZone ? { timeZone: checked.timeZone } : {}),
      ...(checked.responseIdColumn ? { responseIdColumn: checked.responseIdColumn } : {}),
      responses: checked.responses.length,
      ids: checked.responses.map((response) => [response.responseId, response.sourceRow] as [string, number]),
    },
  });
}

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== "preview" && mode !== "import")) {
  console.error("usage: response-import-check.ts <job directory> preview|import");
  process.exit(2);
}
try {
  main(dir, mode);
} catch (error) {
  // The parent reports a missing result as a failed check; the message helps whoever reads the job log.
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
