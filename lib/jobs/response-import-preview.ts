/**
 * The import preview (format, mapping, samples and a dry run of the whole check) computed in a child process, so
 * a large file keeps its uploader waiting but no one else: the check is ~14 s of CPU for 50,000 rows and would
 * otherwise hold the server's event loop (and every participant's request) for that long.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "@/lib/db/engine/connection";
import { checkIdsAgainstDatabase, importTarget, withSavedMapping, type ImportPreviewOutcome } from "@/lib/db/response-imports";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import type { ResponseImportOptions } from "@/lib/io/response-import";
import { importsDirectory, prepareCheckDirectory, runCheckProcess } from "./response-import-files";

/** Same outcome as previewImport (lib/db/response-imports.ts), from the raw upload. Writes nothing to the database. */
export async function previewImportFile(db: Database, actor: Actor, input: { questionnaireId: string; bytes: Uint8Array; options?: ResponseImportOptions }): Promise<ImportPreviewOutcome> {
  assertCan(actor, "surveys.manage");
  const target = await importTarget(db, input.questionnaireId);
  const { options, usedSaved } = await withSavedMapping(db, input.questionnaireId, input.options);
  const dir = path.join(importsDirectory(), `preview-${randomUUID()}`);
  try {
    prepareCheckDirectory(dir, { bytes: input.bytes, definition: target.definition, options });
    const checked = await runCheckProcess(dir, "preview");
    if (!checked.ok) return checked;
    let check: Extract<ImportPreviewOutcome, { ok: true }>["check"];
    if (!checked.check.ok) check = checked.check;
    else {
      const duplicates = await checkIdsAgainstDatabase(db, input.questionnaireId, checked.check.ids, checked.check.responseIdColumn);
      check = duplicates.length > 0 ? { ok: false, errors: duplicates } : { ok: true, summary: checked.check.summary, imported: checked.check.responses };
    }
    const questionIds = target.definition.sections.flatMap((section) => section.questions.map((question) => question.id));
    return { ok: true, preview: checked.preview, check, overrides: options.questionKeyOverrides ?? {}, usedSavedMapping: usedSaved, freezesDraft: target.freezesDraft, questionIds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
