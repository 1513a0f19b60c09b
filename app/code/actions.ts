"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { saveCoding } from "@/lib/db/coding";
import { AppError } from "@/lib/errors";
import { parseAnswersField } from "@/lib/validation/coded-answers";

const saveCodingSchema = z.object({
  assignmentId: z.string().min(1).max(64),
  answers: z.string().max(100_000),
  note: z.string().max(5000).default(""),
  intent: z.enum(["submit", "skip", "draft"]),
});

const SAVED_MESSAGE = { submit: "Saved.", skip: "Skipped for later.", draft: "Draft saved." } as const;

/**
 * Saves the signed-in coder's codes for one of their papers, then opens the next paper of their queue (a draft
 * stays on the paper). Codes the codebook refuses come back as field errors keyed by question id.
 */
export const saveCodingAction = defineAction({ input: saveCodingSchema, revalidate: ["/code"] }, async ({ input, actor, db }) => {
  const saved = await saveCoding(db, actor, { assignmentId: input.assignmentId, answers: parseAnswersField(input.answers), note: input.note, intent: input.intent });
  if (!saved.ok) throw new AppError("INVALID_INPUT", saved.message, saved.errors);
  return {
    data: { next: saved.next, status: saved.status },
    message: SAVED_MESSAGE[input.intent],
    redirectTo: input.intent === "draft" ? undefined : saved.next ? `/code/${saved.next}?saved=${input.intent}` : "/code?finished=1",
  };
});
