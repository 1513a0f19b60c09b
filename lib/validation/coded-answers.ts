import { AppError } from "@/lib/errors";

/**
 * The coding and adjudication forms send their answers as one JSON object in a hidden field. Returns it, or
 * throws an INVALID_INPUT AppError the form can show.
 */
export function parseAnswersField(text: string): Record<string, unknown> {
  let answers: unknown;
  try {
    answers = JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "The answers could not be read; reload the page and try again.");
  }
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) throw new AppError("INVALID_INPUT", "The answers could not be read.");
  return answers as Record<string, unknown>;
}
