/**
 * What changed between two versions of a codebook, so that codings made under the old version can be
 * flagged as outdated on exactly the questions whose meaning changed, and so that a changed codebook
 * cannot be saved under its old version number.
 */
import type { Codebook, CodebookQuestion } from "./codebook";

export type QuestionChange = {
  questionId: string;
  kind: "added" | "removed" | "changed";
  /** For "changed": which aspects differ (type, text, definition, options, conditions, range). */
  aspects: string[];
};

export type CodebookDiff = {
  changes: QuestionChange[];
  /** Questions whose existing answers may no longer mean the same: removed or changed in meaning. */
  outdatedQuestionIds: string[];
  /** A change that needs a new version number was made without raising it. */
  versionProblem: string | null;
};

const optionSignature = (question: CodebookQuestion): string => JSON.stringify((question.options ?? []).map((option) => [option.value, option.label]));
const conditionSignature = (question: CodebookQuestion): string =>
  JSON.stringify(question.askIf.map((condition) => [condition.question, [...condition.anyOf].sort()]));
const rangeSignature = (question: CodebookQuestion): string => JSON.stringify([question.min ?? null, question.max ?? null, question.integer]);

/**
 * Compares two versions of one codebook.
 * Examples and shortcuts are presentation: changing them is listed but does not outdate answers.
 * @param previous the version codings were made with.
 * @param next the proposed version.
 * @returns the changes, the questions whose answers are outdated, and a version problem when `next`
 *   differs in meaning but keeps the version number (or lowers it, or renames the codebook).
 */
export function diffCodebooks(previous: Codebook, next: Codebook): CodebookDiff {
  const changes: QuestionChange[] = [];
  const outdated: string[] = [];
  for (const old of previous.questions) {
    const current = next.questions.find((question) => question.id === old.id);
    if (!current) {
      changes.push({ questionId: old.id, kind: "removed", aspects: [] });
      outdated.push(old.id);
      continue;
    }
    const meaning: [string, boolean][] = [
      ["type", old.type !== current.type],
      ["text", old.text.trim() !== current.text.trim()],
      ["definition", (old.definition ?? "").trim() !== (current.definition ?? "").trim()],
      ["options", optionSignature(old) !== optionSignature(current)],
      ["conditions", conditionSignature(old) !== conditionSignature(current)],
      ["range", rangeSignature(old) !== rangeSignature(current)],
    ];
    const presentation: [string, boolean][] = [
      ["examples", JSON.stringify(old.examples) !== JSON.stringify(current.examples)],
      ["shortcuts", JSON.stringify(old.options?.map((option) => option.shortcut)) !== JSON.stringify(current.options?.map((option) => option.shortcut))],
      ["required", old.required !== current.required],
    ];
    const meaningAspects = meaning.filter(([, differs]) => differs).map(([aspect]) => aspect);
    const aspects = [...meaningAspects, ...presentation.filter(([, differs]) => differs).map(([aspect]) => aspect)];
    if (aspects.length > 0) changes.push({ questionId: old.id, kind: "changed", aspects });
    if (meaningAspects.length > 0) outdated.push(old.id);
  }
  for (const question of next.questions) {
    if (!previous.questions.some((old) => old.id === question.id)) changes.push({ questionId: question.id, kind: "added", aspects: [] });
  }

  let versionProblem: string | null = null;
  if (previous.id !== next.id) versionProblem = `the codebook id changed from "${previous.id}" to "${next.id}"; save it as a new codebook`;
  else if (next.version < previous.version) versionProblem = `version ${next.version} is lower than the current ${previous.version}`;
  else if (next.version === previous.version && (outdated.length > 0 || changes.some((change) => change.kind === "added"))) {
    versionProblem = `questions changed (${changes.map((change) => change.questionId).join(", ")}); raise the version above ${previous.version}`;
  }
  return { changes, outdatedQuestionIds: outdated, versionProblem };
}
