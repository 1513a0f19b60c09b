"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { resolvePaper } from "@/lib/db/adjudication";
import { AppError } from "@/lib/errors";
import { parseAnswersField } from "@/lib/validation/coded-answers";

const resolveSchema = z.object({
  paperId: z.string().min(1).max(64),
  answers: z.string().max(100_000),
  reason: z.string().max(2000),
  overrideReason: z.string().max(2000).optional(),
});

/**
 * Records the adjudicator's final code of a paper with its reason. Codes or reasons the data layer refuses come
 * back as field errors (keyed by question id, `reason`, `overrideReason`).
 */
export const resolvePaperAction = defineAction(
  { input: resolveSchema, revalidate: ["/code/adjudicate", "/admin/literature/results", { layout: "/admin/studies" }] },
  async ({ input, actor, db }) => {
    const answers = parseAnswersField(input.answers);
    const resolved = await resolvePaper(db, actor, { paperId: input.paperId, answers, reason: input.reason, overrideReason: input.overrideReason });
    if (!resolved.ok) throw new AppError("INVALID_INPUT", resolved.message, resolved.errors);
    return { data: { paperId: input.paperId }, message: "Final code saved; it now counts in the results." };
  },
);
