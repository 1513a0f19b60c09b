/**
 * The questionnaire definition: what an admin writes (YAML/JSON under data/questionnaires or in the
 * admin editor) and what the participant pages, flow, validation, randomisation, import and export
 * all read. Everything here is data: show/skip logic is a small declarative condition language that is
 * evaluated by lib/survey/conditions.ts, never by eval, so the same rules run on the server and in the
 * browser.
 *
 * Cross-reference checks (duplicate ids, conditions pointing at unknown or later questions, option ids
 * that do not exist) are schema refinements with paths, so lib/io/definition-file.ts reports them at
 * the offending line.
 */
import { z } from "zod";

/**
 * Stable identifiers of questions, options, sections and definitions. They become form field names and
 * CSV column names (`Q5_tensorflow`), so they are restricted to what SPSS, R and Stata accept as
 * variable names: a letter, then letters, digits or underscores, at most 64 characters.
 */
export const STABLE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const stableIdSchema = z.string().regex(STABLE_ID_PATTERN, "Use a letter followed by letters, digits or underscores (at most 64 characters).");

/** Whether a string is a stable identifier (a questionnaire's slug in a participant's URL is one). */
export const isStableId = (value: string): boolean => STABLE_ID_PATTERN.test(value);

/** The reserved option id of the "Other: please specify" choice. Declared options may not use it. */
export const OTHER_OPTION_ID = "other";

const wordingFlag = z
  .boolean()
  .optional()
  .describe("true: copied from the original instrument; false: the original wording is unknown and this is our own.");

// ---------------------------------------------------------------------------------------------------
// Conditions

/** A show/skip rule evaluated against earlier answers. See lib/survey/conditions.ts for semantics. */
export type Condition =
  | { answered: string }
  | { equals: { question: string; row?: string; value: string | number } }
  | { in: { question: string; row?: string; values: Array<string | number> } }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

const conditionValue = z.union([z.string().min(1), z.number()]);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answered: stableIdSchema }),
    z.strictObject({ equals: z.strictObject({ question: stableIdSchema, row: stableIdSchema.optional(), value: conditionValue }) }),
    z.strictObject({
      in: z.strictObject({ question: stableIdSchema, row: stableIdSchema.optional(), values: z.array(conditionValue).min(1) }),
    }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
  ]),
);

// ---------------------------------------------------------------------------------------------------
// Questions

export const choiceOptionSchema = z.strictObject({
  id: stableIdSchema,
  label: z.string().min(1),
  /** Numeric value code used in exports and codebooks; defaults to the 1-based position. */
  code: z.number().int().optional(),
  /** Stays at its position when options are shuffled (e.g. "Prefer not to say"). */
  anchored: z.boolean().default(false),
  /** Multiple choice only: choosing it excludes every other option (e.g. "None of these"). */
  exclusive: z.boolean().default(false),
  originalWording: wordingFlag,
});
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;

const otherOptionSchema = z.strictObject({
  label: z.string().min(1).default("Other, please specify"),
  code: z.number().int().optional(),
  originalWording: wordingFlag,
});
export type OtherOption = z.infer<typeof otherOptionSchema>;

const questionBase = {
  id: stableIdSchema,
  text: z.string().min(1),
  /** Help text shown under the question. */
  description: z.string().optional(),
  /** For researchers only (provenance, ambiguities); never shown to participants. */
  note: z.string().optional(),
  required: z.boolean().default(false),
  showIf: conditionSchema.optional(),
  /** Ids of definitions shown before this question. */
  definitions: z.array(stableIdSchema).default([]),
  /** Stays at its position when the section's questions are shuffled. */
  anchored: z.boolean().default(false),
  originalWording: wordingFlag,
};

const singleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("single_choice"),
  options: z.array(choiceOptionSchema).min(2),
  other: otherOptionSchema.optional(),
  randomizeOptions: z.boolean().default(false),
});

const multipleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("multiple_choice"),
  options: z.array(choiceOptionSchema).min(1),
  other: otherOptionSchema.optional(),
  randomizeOptions: z.boolean().default(false),
  minSelections: z.number().int().min(0).optional(),
  maxSelections: z.number().int().min(1).optional(),
});

const likertQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("likert"),
  /** Number of scale points; answers are the integers 1 … points. */
  points: z.number().int().min(2).max(11),
  /** Labels of some or all points, keyed by point number (e.g. `1: Strongly disagree`). */
  labels: z.record(z.string().regex(/^\d+$/, "Label keys are point numbers."), z.string().min(1)).default({}),
});

const numericQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("numeric"),
  /** Shown next to the input and in messages, e.g. "years". */
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
});

const shortTextQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("short_text"),
  maxLength: z.number().int().min(1).max(1000).default(200),
});

const longTextQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("long_text"),
  maxLength: z.number().int().min(1).max(20000).default(5000),
});

/**
 * An estimate answered by choosing an interval ("(0%,1%]", …, "Over 20%"). Bins are ordered and are
 * never shuffled, which is why there is no randomizeOptions here.
 */
const binnedEstimateQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("binned_estimate"),
  bins: z.array(choiceOptionSchema).min(2),
  other: otherOptionSchema.optional(),
  unit: z.string().optional(),
});

const matrixQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("matrix"),
  rows: z.array(z.strictObject({ id: stableIdSchema, label: z.string().min(1), anchored: z.boolean().default(false), originalWording: wordingFlag })).min(1),
  columns: z.array(choiceOptionSchema).min(2),
  randomizeRows: z.boolean().default(false),
});

export const questionSchema = z.discriminatedUnion("type", [
  singleChoiceQuestionSchema,
  multipleChoiceQuestionSchema,
  likertQuestionSchema,
  numericQuestionSchema,
  shortTextQuestionSchema,
  longTextQuestionSchema,
  binnedEstimateQuestionSchema,
  matrixQuestionSchema,
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question["type"];
export type SingleChoiceQuestion = z.infer<typeof singleChoiceQuestionSchema>;
export type MultipleChoiceQuestion = z.infer<typeof multipleChoiceQuestionSchema>;
export type LikertQuestion = z.infer<typeof likertQuestionSchema>;
export type NumericQuestion = z.infer<typeof numericQuestionSchema>;
export type TextQuestion = z.infer<typeof shortTextQuestionSchema> | z.infer<typeof longTextQuestionSchema>;
export type BinnedEstimateQuestion = z.infer<typeof binnedEstimateQuestionSchema>;
export type MatrixQuestion = z.infer<typeof matrixQuestionSchema>;
/** Questions answered by picking one or more listed options. */
export type OptionQuestion = SingleChoiceQuestion | MultipleChoiceQuestion | BinnedEstimateQuestion;

// ---------------------------------------------------------------------------------------------------
// Questionnaire

const termDefinitionSchema = z.strictObject({
  id: stableIdSchema,
  term: z.string().min(1),
  text: z.string().min(1),
  originalWording: wordingFlag,
});
export type TermDefinition = z.infer<typeof termDefinitionSchema>;

const sectionSchema = z.strictObject({
  id: stableIdSchema,
  title: z.string().min(1),
  description: z.string().optional(),
  showIf: conditionSchema.optional(),
  /** Ids of definitions shown at the top of the page. */
  definitions: z.array(stableIdSchema).default([]),
  randomizeQuestions: z.boolean().default(false),
  questions: z.array(questionSchema).min(1),
});
export type Section = z.infer<typeof sectionSchema>;

const questionnaireObjectSchema = z.strictObject({
  id: stableIdSchema,
  title: z.string().min(1),
  /** Increases whenever questions change; stored with every response. */
  version: z.number().int().min(1),
  /** BCP 47 language tag, e.g. "en" or "de-CH". */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language tag such as "en" or "pt-BR".'),
  description: z.string().optional(),
  welcome: z.strictObject({ title: z.string().optional(), text: z.string().min(1), originalWording: wordingFlag }),
  consent: z.strictObject({
    text: z.string().min(1),
    agreeLabel: z.string().min(1),
    declineLabel: z.string().min(1),
    /** Shown after declining; the participant leaves without a response. */
    declinedMessage: z.string().default("Thank you. You have chosen not to take part; no answers were recorded."),
    originalWording: wordingFlag,
  }),
  definitions: z.array(termDefinitionSchema).default([]),
  sections: z.array(sectionSchema).min(1),
  closingText: z.string().optional(),
});

type QuestionnaireShape = z.infer<typeof questionnaireObjectSchema>;

/** The value codes of a question's options, in definition order, "other" last. */
export function optionCodes(question: OptionQuestion | MatrixQuestion): Array<{ id: string; label: string; code: number }> {
  const options = question.type === "binned_estimate" ? question.bins : question.type === "matrix" ? question.columns : question.options;
  const listed = options.map((option, index) => ({ id: option.id, label: option.label, code: option.code ?? index + 1 }));
  if (question.type !== "matrix" && question.other) {
    listed.push({ id: OTHER_OPTION_ID, label: question.other.label, code: question.other.code ?? options.length + 1 });
  }
  return listed;
}

/** The options a participant can choose for an option question, without "other". */
export const listedOptions = (question: OptionQuestion): ChoiceOption[] =>
  question.type === "binned_estimate" ? question.bins : question.options;

/**
 * Names of the export/import columns of a question. One column per question, except: multiple choice
 * gets one 0/1 column per option (`Q5_tensorflow`, `Q5_other`), matrix one column per row
 * (`Q9_speed`), and an "Other" text column `Qx_other_text` wherever "Other" exists.
 */
export function columnNamesOf(question: Question): string[] {
  const other = "other" in question && question.other ? [`${question.id}_${OTHER_OPTION_ID}_text`] : [];
  switch (question.type) {
    case "multiple_choice":
      return [
        ...question.options.map((option) => `${question.id}_${option.id}`),
        ...(question.other ? [`${question.id}_${OTHER_OPTION_ID}`] : []),
        ...other,
      ];
    case "matrix":
      return question.rows.map((row) => `${question.id}_${row.id}`);
    default:
      return [question.id, ...other];
  }
}

type IssueSink = (path: PropertyKey[], message: string) => void;

type QuestionPosition = { question: Question; sectionIndex: number; questionIndex: number; order: number };

const reportDuplicates = (ids: Array<{ id: string; path: PropertyKey[] }>, kind: string, report: IssueSink): void => {
  const seen = new Map<string, PropertyKey[]>();
  for (const { id, path } of ids) {
    if (seen.has(id)) report(path, `Duplicate ${kind} id "${id}": ids must be unique.`);
    else seen.set(id, path);
  }
};

/** What a condition may refer to: every question's position, and why a target is not allowed (null: it is). */
type ConditionRules = { allQuestions: Map<string, QuestionPosition>; isAllowed: (target: QuestionPosition) => string | null; report: IssueSink };

/** Checks a condition's references against `rules`. */
const checkCondition = (condition: Condition, path: PropertyKey[], rules: ConditionRules): void => {
  const { allQuestions, isAllowed, report } = rules;
  if ("not" in condition) return checkCondition(condition.not, [...path, "not"], rules);
  if ("all" in condition || "any" in condition) {
    const key = "all" in condition ? "all" : "any";
    const parts = "all" in condition ? condition.all : condition.any;
    parts.forEach((part, index) => checkCondition(part, [...path, key, index], rules));
    return;
  }
  const [key, questionId, row, values] =
    "answered" in condition
      ? (["answered", condition.answered, undefined, []] as const)
      : "equals" in condition
        ? (["equals", condition.equals.question, condition.equals.row, [condition.equals.value]] as const)
        : (["in", condition.in.question, condition.in.row, condition.in.values] as const);
  const questionPath = key === "answered" ? [...path, key] : [...path, key, "question"];
  const target = allQuestions.get(questionId);
  if (!target) return report(questionPath, `Unknown question "${questionId}".`);
  const problem = isAllowed(target);
  if (problem) return report(questionPath, problem);
  if (key === "answered") return;

  const question = target.question;
  const valuePath = (index: number) => (key === "equals" ? [...path, key, "value"] : [...path, key, "values", index]);
  if (question.type === "matrix") {
    if (row === undefined) return report([...path, key], `Question "${questionId}" is a matrix: say which row with "row".`);
    if (!question.rows.some((candidate) => candidate.id === row)) return report([...path, key, "row"], `Matrix "${questionId}" has no row "${row}".`);
  } else if (row !== undefined) {
    return report([...path, key, "row"], `"row" only applies to matrix questions; "${questionId}" is ${question.type}.`);
  }
  values.forEach((value, index) => {
    switch (question.type) {
      case "single_choice":
      case "multiple_choice":
      case "binned_estimate":
      case "matrix": {
        const ids = optionCodes(question).map((option) => option.id);
        if (typeof value !== "string" || !ids.includes(value)) {
          report(valuePath(index), `Question "${questionId}" has no option "${String(value)}" (options: ${ids.join(", ")}).`);
        }
        break;
      }
      case "likert":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > question.points) {
          report(valuePath(index), `Question "${questionId}" is a ${question.points}-point scale: use a whole number from 1 to ${question.points}.`);
        }
        break;
      case "numeric":
        if (typeof value !== "number") report(valuePath(index), `Question "${questionId}" is numeric: compare with a number.`);
        break;
      case "short_text":
      case "long_text":
        if (typeof value !== "string") report(valuePath(index), `Question "${questionId}" is a text question: compare with a text.`);
        break;
    }
  });
};

const checkQuestion = (question: Question, path: PropertyKey[], report: IssueSink): void => {
  if (question.type === "single_choice" || question.type === "multiple_choice" || question.type === "binned_estimate" || question.type === "matrix") {
    const listKey = question.type === "binned_estimate" ? "bins" : question.type === "matrix" ? "columns" : "options";
    const options = question.type === "binned_estimate" ? question.bins : question.type === "matrix" ? question.columns : question.options;
    reportDuplicates(options.map((option, index) => ({ id: option.id, path: [...path, listKey, index, "id"] })), "option", report);
    options.forEach((option, index) => {
      if (option.id === OTHER_OPTION_ID) {
        report([...path, listKey, index, "id"], `The option id "${OTHER_OPTION_ID}" is reserved for "Other: please specify"; use the question's "other" field.`);
      }
      if (option.exclusive && question.type !== "multiple_choice") {
        report([...path, listKey, index, "exclusive"], '"exclusive" only applies to multiple choice options.');
      }
    });
    const codes = optionCodes(question);
    const seenCodes = new Set<number>();
    codes.forEach((option, index) => {
      if (seenCodes.has(option.code)) {
        const codePath = index < options.length ? [...path, listKey, index, "code"] : [...path, "other", "code"];
        report(codePath, `Duplicate value code ${option.code} in question "${question.id}".`);
      }
      seenCodes.add(option.code);
    });
  }
  if (question.type === "matrix") {
    reportDuplicates(question.rows.map((row, index) => ({ id: row.id, path: [...path, "rows", index, "id"] })), "row", report);
  }
  if (question.type === "multiple_choice") {
    const choosable = question.options.length + (question.other ? 1 : 0);
    if (question.minSelections !== undefined && question.maxSelections !== undefined && question.minSelections > question.maxSelections) {
      report([...path, "minSelections"], `minSelections (${question.minSelections}) is larger than maxSelections (${question.maxSelections}).`);
    }
    if (question.maxSelections !== undefined && question.maxSelections > choosable) {
      report([...path, "maxSelections"], `maxSelections (${question.maxSelections}) is larger than the number of options (${choosable}).`);
    }
    if (question.minSelections !== undefined && question.minSelections > choosable) {
      report([...path, "minSelections"], `minSelections (${question.minSelections}) is larger than the number of options (${choosable}).`);
    }
  }
  if (question.type === "likert") {
    for (const key of Object.keys(question.labels)) {
      const point = Number(key);
      if (point < 1 || point > question.points) report([...path, "labels", key], `Label for point ${key} is outside the scale 1–${question.points}.`);
    }
  }
  if (question.type === "numeric" && question.min !== undefined && question.max !== undefined && question.min > question.max) {
    report([...path, "min"], `min (${question.min}) is larger than max (${question.max}).`);
  }
};

const checkQuestionnaire = (definition: QuestionnaireShape, report: IssueSink): void => {
  reportDuplicates(definition.sections.map((section, index) => ({ id: section.id, path: ["sections", index, "id"] })), "section", report);
  reportDuplicates(definition.definitions.map((term, index) => ({ id: term.id, path: ["definitions", index, "id"] })), "definition", report);

  const positions = new Map<string, QuestionPosition>();
  const questionIds: Array<{ id: string; path: PropertyKey[] }> = [];
  let order = 0;
  definition.sections.forEach((section, sectionIndex) =>
    section.questions.forEach((question, questionIndex) => {
      questionIds.push({ id: question.id, path: ["sections", sectionIndex, "questions", questionIndex, "id"] });
      if (!positions.has(question.id)) positions.set(question.id, { question, sectionIndex, questionIndex, order });
      order += 1;
    }),
  );
  reportDuplicates(questionIds, "question", report);

  // Column names must be unique so exports and imports are unambiguous (question "Q5_a" vs option a of Q5).
  const columns = new Map<string, string>();
  definition.sections.forEach((section, sectionIndex) =>
    section.questions.forEach((question, questionIndex) => {
      for (const column of columnNamesOf(question)) {
        const owner = columns.get(column);
        if (owner !== undefined && owner !== question.id) {
          report(["sections", sectionIndex, "questions", questionIndex, "id"], `Export column "${column}" of question "${question.id}" clashes with question "${owner}"; rename one of the ids.`);
        }
        columns.set(column, question.id);
      }
    }),
  );

  const knownDefinitions = new Set(definition.definitions.map((term) => term.id));
  const checkDefinitionRefs = (ids: string[], path: PropertyKey[]) =>
    ids.forEach((id, index) => {
      if (!knownDefinitions.has(id)) report([...path, index], `Unknown definition "${id}".`);
    });

  definition.sections.forEach((section, sectionIndex) => {
    const sectionPath: PropertyKey[] = ["sections", sectionIndex];
    checkDefinitionRefs(section.definitions, [...sectionPath, "definitions"]);
    if (section.showIf) {
      checkCondition(section.showIf, [...sectionPath, "showIf"], {
        allQuestions: positions,
        isAllowed: (target) => (target.sectionIndex < sectionIndex ? null : `A section can only depend on questions of earlier sections; "${target.question.id}" is not earlier.`),
        report,
      });
    }
    section.questions.forEach((question, questionIndex) => {
      const questionPath: PropertyKey[] = [...sectionPath, "questions", questionIndex];
      const self = positions.get(question.id);
      checkQuestion(question, questionPath, report);
      checkDefinitionRefs(question.definitions, [...questionPath, "definitions"]);
      if (!question.showIf || !self) return;
      const isAllowed = (target: QuestionPosition) => {
        if (target.order >= self.order) return `A question can only depend on earlier questions; "${target.question.id}" is not before "${question.id}".`;
        if (section.randomizeQuestions && target.sectionIndex === sectionIndex) {
          return `Section "${section.id}" shuffles its questions, so "${question.id}" cannot depend on "${target.question.id}" in the same section.`;
        }
        return null;
      };
      checkCondition(question.showIf, [...questionPath, "showIf"], { allQuestions: positions, isAllowed, report });
    });
  });
};

/**
 * Schema of a complete questionnaire definition, including cross-reference checks. Parse files with
 * `parseDefinitionFile(text, questionnaireDefinitionSchema)` to get line-accurate errors.
 */
export const questionnaireDefinitionSchema = questionnaireObjectSchema.superRefine((definition, ctx) =>
  checkQuestionnaire(definition, (path, message) => ctx.addIssue({ code: "custom", path, message })),
);
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinitionSchema>;
/** What an author may write (defaults not yet applied). */
export type QuestionnaireDefinitionInput = z.input<typeof questionnaireDefinitionSchema>;

/**
 * All questions in document order.
 * @param definition a parsed questionnaire.
 */
export const listQuestions = (definition: QuestionnaireDefinition): Question[] => definition.sections.flatMap((section) => section.questions);

/**
 * Looks a question up by id.
 * @returns the question, or undefined when the id is unknown.
 */
export function findQuestion(definition: QuestionnaireDefinition, questionId: string): Question | undefined {
  for (const section of definition.sections) {
    const question = section.questions.find((candidate) => candidate.id === questionId);
    if (question) return question;
  }
  return undefined;
}

/**
 * The term definitions to show on a section's page: the section's own, then those of its questions,
 * each once, in that order.
 * @param visibleQuestions the questions that will be shown (hidden questions do not pull in terms).
 */
export function definitionsForPage(definition: QuestionnaireDefinition, section: Section, visibleQuestions: readonly Question[]): TermDefinition[] {
  const ids = [...section.definitions, ...visibleQuestions.flatMap((question) => question.definitions)];
  const unique = [...new Set(ids)];
  return unique.flatMap((id) => definition.definitions.filter((term) => term.id === id));
}
