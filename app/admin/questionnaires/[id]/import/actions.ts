"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { undoImport } from "@/lib/db/response-imports";

const undoSchema = z.object({ questionnaireId: z.string().min(1), importId: z.string().min(1) });

/** Undoes a whole import: all its responses go, in one transaction, with an audit entry. */
export const undoImportAction = defineAction(
  { input: undoSchema, revalidate: (input) => [`/admin/questionnaires/${input.questionnaireId}/import`, `/admin/questionnaires/${input.questionnaireId}`] },
  async ({ input, actor, db }) => {
    const { removed } = await undoImport(db, actor, input);
    return { data: { removed }, message: `Import undone: ${removed} response${removed === 1 ? "" : "s"} removed.` };
  },
);
