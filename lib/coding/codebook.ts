/**
 * The codebook of a literature survey: versioned data (like a questionnaire) listing the questions a
 * coder answers for each paper, with definitions and examples shown beside the paper, conditions
 * ("ask multiple identical runs? only when trains DL? is yes") and a keyboard shortcut per option.
 *
 * Question types:
 * - "yes-no-unsure": options yes / no / unsure (shortcuts y / n / u unless given);
 * - "single-choice" and "multiple-choice": options listed in the codebook;
 * - "number": a number, optionally whole and bounded;
 * - "text": free text, never compared between coders (it explains, it does not classify).
 */
import { z } from "zod";
import { parseDefinitionFile, type DefinitionFileResult } from "@/lib/io/definition-file";

export const QUESTION_TYPES = ["yes-no-unsure", "single-choice", "multiple-choice", "number", "text"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const identifier = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, "use letters, digits, - or _, starting with a letter");
// One printable key the annotator screen can bind without a modifier.
const shortcutKey = z.string().regex(/^[a-z0-9]$/, "a shortcut is one lower-case letter or digit");

const optionSchema = z.strictObject({
  value: identifier,
  label: z.string().min(1),
  shortcut: shortcutKey.optional(),
  description: z.string().optional(),
});

const exampleSchema = z.strictObject({
  /** e.g. "counts as yes", "counts as no" */
  verdict: z.string().min(1),
  text: z.string().min(1),
});

/** The question is asked only when the earlier question's answer is (or, for multiple choice, includes) one of `anyOf`. */
const conditionSchema = z.strictObject({ question: identifier, anyOf: z.array(z.string().min(1)).min(1) });
export type CodebookCondition = z.infer<typeof conditionSchema>;

const questionSchema = z.strictObject({
  id: identifier,
  type: z.enum(QUESTION_TYPES),
  text: z.string().min(1),
  definition: z.string().optional(),
  examples: z.array(exampleSchema).default([]),
  options: z.array(optionSchema).optional(),
  /** All conditions must hold. */
  askIf: z.array(conditionSchema).default([]),
  required: z.boolean().default(true),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
});

const YES_NO_UNSURE_OPTIONS = [
  { value: "yes", label: "Yes", shortcut: "y" },
  { value: "no", label: "No", shortcut: "n" },
  { value: "unsure", label: "Unsure", shortcut: "u" },
] as const;

type CodebookOption = z.infer<typeof optionSchema>;

/** Every option gets a key: options without one take the first unused digit 1–9, then 0. */
function withDigitShortcuts(options: CodebookOption[]): CodebookOption[] {
  const used = new Set(options.flatMap((option) => (option.shortcut ? [option.shortcut] : [])));
  const free = [..."1234567890"].filter((key) => !used.has(key));
  return options.map((option) => (option.shortcut ? option : { ...option, shortcut: free.shift() }));
}

const measureSchema = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  /** A paper counts as positive when its final answer to `question` is (or includes) one of `anyOf`. */
  question: identifier,
  anyOf: z.array(z.string().min(1)).min(1),
  /** Restricts the denominator, e.g. to relevant papers. */
  among: conditionSchema.optional(),
});

/** The codebook file format (data/codebooks/*.yaml), validated with cross-question rules. */
export const codebookSchema = z
  .strictObject({
    id: identifier,
    /** Whole number, raised whenever a question's meaning changes, so codings record what they answered. */
    version: z.number().int().min(1),
    title: z.string().min(1),
    description: z.string().optional(),
    questions: z.array(questionSchema).min(1),
    /** Shares reported in the results, e.g. relevant papers, and multiple runs among relevant ones. */
    measures: z.array(measureSchema).default([]),
  })
  .transform((codebook) => ({
    ...codebook,
    questions: codebook.questions.map((question) => {
      const options =
        question.type === "yes-no-unsure" && !question.options
          ? YES_NO_UNSURE_OPTIONS.map((option) => ({ ...option }))
          : question.options;
      return options ? { ...question, options: withDigitShortcuts(options) } : question;
    }),
  }))
  .superRefine((codebook, context) => {
    const seen = new Map<string, number>();
    codebook.questions.forEach((question, index) => {
      const path = ["questions", index];
      if (seen.has(question.id)) {
        context.addIssue({ code: "custom", path: [...path, "id"], message: `question id "${question.id}" is used twice` });
      }
      const isChoice = question.type !== "number" && question.type !== "text";
      if (isChoice && (question.options?.length ?? 0) < 2) {
        context.addIssue({ code: "custom", path: [...path, "options"], message: `a ${question.type} question needs at least two options` });
      }
      if (!isChoice && question.options) {
        context.addIssue({ code: "custom", path: [...path, "options"], message: `a ${question.type} question has no options` });
      }
      const values = new Set<string>();
      const shortcuts = new Set<string>();
      question.options?.forEach((option, optionIndex) => {
        if (values.has(option.value)) {
          context.addIssue({ code: "custom", path: [...path, "options", optionIndex, "value"], message: `option "${option.value}" repeats` });
        }
        values.add(option.value);
        if (option.shortcut && shortcuts.has(option.shortcut)) {
          context.addIssue({ code: "custom", path: [...path, "options", optionIndex, "shortcut"], message: `shortcut "${option.shortcut}" repeats in this question` });
        }
        if (option.shortcut) shortcuts.add(option.shortcut);
      });
      if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
        context.addIssue({ code: "custom", path: [...path, "min"], message: "min is greater than max" });
      }
      question.askIf.forEach((condition, conditionIndex) => {
        const conditionPath = [...path, "askIf", conditionIndex];
        // Conditions point backwards only, so the coding flow is a simple top-to-bottom pass without cycles.
        const targetIndex = seen.get(condition.question);
        const target = targetIndex === undefined ? undefined : codebook.questions[targetIndex];
        if (!target) {
          context.addIssue({ code: "custom", path: [...conditionPath, "question"], message: `"${condition.question}" is not an earlier question` });
          return;
        }
        const targetValues = new Set(target.options?.map((option) => option.value) ?? []);
        if (targetValues.size === 0) {
          context.addIssue({ code: "custom", path: [...conditionPath, "question"], message: `conditions can only depend on choice questions, "${target.id}" is ${target.type}` });
        }
        condition.anyOf.forEach((value, valueIndex) => {
          if (targetValues.size > 0 && !targetValues.has(value)) {
            context.addIssue({ code: "custom", path: [...conditionPath, "anyOf", valueIndex], message: `"${target.id}" has no option "${value}"` });
          }
        });
      });
      if (!seen.has(question.id)) seen.set(question.id, index);
    });
    codebook.measures.forEach((measure, index) => {
      const conditions = [
        { path: ["measures", index], question: measure.question, anyOf: measure.anyOf },
        ...(measure.among ? [{ path: ["measures", index, "among"], ...measure.among }] : []),
      ];
      for (const condition of conditions) {
        const target = codebook.questions.find((question) => question.id === condition.question);
        const values = new Set(target?.options?.map((option) => option.value) ?? []);
        if (!target || values.size === 0) {
          context.addIssue({ code: "custom", path: [...condition.path, "question"], message: `"${condition.question}" is not a choice question of this codebook` });
          continue;
        }
        condition.anyOf.filter((value) => !values.has(value)).forEach((value) => {
          context.addIssue({ code: "custom", path: [...condition.path, "anyOf"], message: `"${target.id}" has no option "${value}"` });
        });
      }
    });
  });

export type Codebook = z.output<typeof codebookSchema>;
export type CodebookQuestion = Codebook["questions"][number];

/** A coder's answer to one question: an option value, several option values, a number or text. */
export type CodingAnswer = string | string[] | number;
/** Answers by question id; questions not (yet) answered are absent. */
export type CodingAnswers = Readonly<Record<string, CodingAnswer | null | undefined>>;

/**
 * Reads and validates a codebook file.
 * @param text YAML or JSON.
 * @returns the codebook, or errors with line and column (see parseDefinitionFile).
 */
export function parseCodebook(text: string): DefinitionFileResult<Codebook> {
  return parseDefinitionFile(text, codebookSchema);
}

/**
 * Whether a question is asked given the answers so far: all its conditions hold and each question a
 * condition depends on was itself asked (a skipped parent hides its children).
 * @throws Error when the question id is not in the codebook (a programming error, not user input).
 */
export function isQuestionAsked(codebook: Codebook, questionId: string, answers: CodingAnswers): boolean {
  const question = findQuestion(codebook, questionId);
  return question.askIf.every((condition) => {
    if (!isQuestionAsked(codebook, condition.question, answers)) return false;
    const answer = answers[condition.question];
    if (Array.isArray(answer)) return answer.some((value) => condition.anyOf.includes(value));
    return typeof answer === "string" && condition.anyOf.includes(answer);
  });
}

/** The questions asked for these answers, in codebook order. */
export function askedQuestions(codebook: Codebook, answers: CodingAnswers): CodebookQuestion[] {
  return codebook.questions.filter((question) => isQuestionAsked(codebook, question.id, answers));
}

/** @throws Error when the id is unknown. */
export function findQuestion(codebook: Codebook, questionId: string): CodebookQuestion {
  const question = codebook.questions.find((candidate) => candidate.id === questionId);
  if (!question) throw new Error(`codebook ${codebook.id} v${codebook.version} has no question "${questionId}"`);
  return question;
}

export type CodingValidation = {
  /** Answers to asked questions only: answers left over from a changed parent answer are dropped. */
  answers: Record<string, CodingAnswer>;
  /** Problems by question id (wrong type, unknown option, out of range). */
  errors: Record<string, string>;
  /** Asked, required questions without an answer: the coding can be saved as a draft but is not complete. */
  missing: string[];
  isComplete: boolean;
};

/**
 * Validates one coder's answers against the codebook (at the trust boundary: the form's data is
 * untrusted). Unknown question ids are errors; answers to questions that are not asked are dropped.
 * @param answers raw answers by question id.
 */
export function validateCodingAnswers(codebook: Codebook, answers: Readonly<Record<string, unknown>>): CodingValidation {
  const errors: Record<string, string> = {};
  const clean: Record<string, CodingAnswer> = {};
  const missing: string[] = [];
  for (const key of Object.keys(answers)) {
    if (!codebook.questions.some((question) => question.id === key)) errors[key] = `no question "${key}" in this codebook`;
  }
  for (const question of codebook.questions) {
    // Conditions are evaluated on the answers accepted so far, so an invalid parent hides its children.
    if (!isQuestionAsked(codebook, question.id, clean)) continue;
    const raw = answers[question.id];
    const isEmpty = raw === undefined || raw === null || raw === "" || (Array.isArray(raw) && raw.length === 0);
    if (isEmpty) {
      // An empty multiple choice is a valid answer only when it is not required.
      if (question.required) missing.push(question.id);
      continue;
    }
    const checked = checkAnswer(question, raw);
    if (checked.ok) clean[question.id] = checked.value;
    else errors[question.id] = checked.reason;
  }
  return { answers: clean, errors, missing, isComplete: missing.length === 0 && Object.keys(errors).length === 0 };
}

function checkAnswer(question: CodebookQuestion, raw: unknown): { ok: true; value: CodingAnswer } | { ok: false; reason: string } {
  const optionValues = question.options?.map((option) => option.value) ?? [];
  switch (question.type) {
    case "yes-no-unsure":
    case "single-choice":
      return typeof raw === "string" && optionValues.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, reason: `choose one of ${optionValues.join(", ")}` };
    case "multiple-choice": {
      if (!Array.isArray(raw) || !raw.every((value) => typeof value === "string" && optionValues.includes(value))) {
        return { ok: false, reason: `choose any of ${optionValues.join(", ")}` };
      }
      // Stored in codebook order without repeats, so equal selections compare equal.
      return { ok: true, value: optionValues.filter((value) => raw.includes(value)) };
    }
    case "number": {
      const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, reason: "enter a number" };
      if (question.integer && !Number.isInteger(value)) return { ok: false, reason: "enter a whole number" };
      if (question.min !== undefined && value < question.min) return { ok: false, reason: `at least ${question.min}` };
      if (question.max !== undefined && value > question.max) return { ok: false, reason: `at most ${question.max}` };
      return { ok: true, value };
    }
    case "text":
      return typeof raw === "string" ? { ok: true, value: raw.trim() } : { ok: false, reason: "enter text" };
  }
}

/**
 * Keyboard shortcuts of a question's options, for the annotator screen and its help overlay.
 * @returns pairs in option order; options without a shortcut are left out.
 */
export function optionShortcuts(question: CodebookQuestion): { key: string; value: string; label: string }[] {
  return (question.options ?? []).flatMap((option) => (option.shortcut ? [{ key: option.shortcut, value: option.value, label: option.label }] : []));
}

/**
 * Canonical comparable form of an answer: option values as is, multiple choice as the sorted set joined
 * with "+", numbers as their decimal text. Two coders agree on a question when these are equal.
 * @returns null for no answer.
 */
export function answerKey(answer: CodingAnswer | null | undefined): string | null {
  if (answer === null || answer === undefined) return null;
  if (Array.isArray(answer)) return [...answer].sort().join("+");
  return String(answer);
}
