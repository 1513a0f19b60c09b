/**
 * Removing what an unfinished import wrote. In embedded mode an import writes in short transactions (so that
 * participants are not stopped for minutes), and a job that fails or whose server stops leaves the rows written so
 * far; they are deleted here, a few hundred per short transaction, before the job is recorded as failed or
 * interrupted, so nothing of the file is kept. System functions (job runners and recovery): no actor.
 */
import type { Database } from "./engine/connection";

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Deletes the rows of one import from table (by its importId), then the import record itself. Returns the rows deleted. */
async function removeImportRows(db: Database, tables: { rows: "Response" | "Paper"; record: "ResponseImport" | "PaperImport" }, importId: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await db.sql.query<{ id: string }>(`DELETE FROM "${tables.rows}" WHERE id IN (SELECT id FROM "${tables.rows}" WHERE "importId" = $1 LIMIT 200) RETURNING id`, [importId]);
    removed += batch.length;
    if (batch.length === 0) break;
    await yieldToEventLoop();
  }
  await db.sql.query(`DELETE FROM "${tables.record}" WHERE id = $1`, [importId]);
  return removed;
}

/** The responses of an unfinished response import (and their answers, by cascade). Returns how many. */
export function removePartialResponseImport(db: Database, importId: string): Promise<number> {
  return removeImportRows(db, { rows: "Response", record: "ResponseImport" }, importId);
}

/** The papers of an unfinished paper import. Returns how many. */
export function removePartialPaperImport(db: Database, importId: string): Promise<number> {
  return removeImportRows(db, { rows: "Paper", record: "PaperImport" }, importId);
}
