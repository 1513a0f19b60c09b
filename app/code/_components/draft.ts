/** Answers as the coding and adjudication forms hold them: option values, lists of values, or the typed text of numbers and notes. */
export type DraftAnswers = Record<string, string | string[]>;

/** Turns stored answers into the forms' draft shape (numbers as text). Shared by server pages and client forms. */
export function toDraft(answers: Record<string, unknown>): DraftAnswers {
  const draft: DraftAnswers = {};
  for (const [key, value] of Object.entries(answers)) {
    if (Array.isArray(value)) draft[key] = value.map(String);
    else if (value !== null && value !== undefined) draft[key] = String(value);
  }
  return draft;
}
