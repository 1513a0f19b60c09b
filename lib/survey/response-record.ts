/**
 * A response as the pure survey functions exchange it: what the database layer stores, what exports
 * read and what imports produce. Kept free of database ids so it can travel between systems.
 */
import { z } from "zod";
import { answersSchema } from "./answer-types";
import { presentationOrderSchema } from "./randomize";

export const responseStatusSchema = z.enum(["complete", "partial"]);
export type ResponseStatus = z.infer<typeof responseStatusSchema>;

export const surveyResponseRecordSchema = z.strictObject({
  /** Identifier unique within the questionnaire (ours, or Qualtrics' ResponseId on import). */
  responseId: z.string().min(1),
  status: responseStatusSchema,
  /** Percent of the questionnaire completed, 0–100, when known. */
  progress: z.number().min(0).max(100).optional(),
  /** Timestamps as text; ISO 8601 for our own responses, the source's format for imported ones. */
  startedAt: z.string().optional(),
  submittedAt: z.string().optional(),
  answers: answersSchema,
  presentationOrder: presentationOrderSchema.optional(),
});
export type SurveyResponseRecord = z.infer<typeof surveyResponseRecordSchema>;
