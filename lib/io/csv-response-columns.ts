/**
 * Maps the columns of a response CSV (a Qualtrics export or a plain one-column-per-question file) to
 * the questions of a questionnaire definition.
 *
 * A column is recognised, in this order, as:
 * 1. a metadata column (ResponseId, StartDate, EndDate, Finished, Progress, Status; or our own
 *    response_id, status, progress, started_at, submitted_at, presentation_order);
 * 2. one of our own export columns (`Q20`, `frameworks_tensorflow`, `Q21_other_text`, `grid_init`);
 * 3. a Qualtrics column `<key>`, `<key>_<n>` (option with value code n of a multiple-choice question,
 *    or row n of a matrix) or `<key>_<n>_TEXT` (the text of "Other" with code n), where `<key>` is
 *    matched to a question by an override, by id (case-insensitive) or by question text (the second
 *    header row of a Qualtrics export, with suffixes such as " - Selected Choice" removed).
 * Anything else is ignored and listed in the preview so the admin can map it by hand.
 */
import { columnNamesOf, listQuestions, optionCodes, OTHER_OPTION_ID } from "@/lib/survey/definition";
import type { Question, QuestionnaireDefinition } from "@/lib/survey/definition";
import { parseQualtricsName, type QualtricsName } from "./qualtrics-common";

export type MetadataField = "responseId" | "startedAt" | "submittedAt" | "finished" | "progress" | "status" | "qualtricsStatus" | "presentationOrder";

/** What a column holds. */
export type ColumnTarget =
  | { kind: "metadata"; field: MetadataField }
  /** The question's value: a choice, number or text; for multiple choice a comma-joined list. */
  | { kind: "value"; questionId: string }
  /** A multiple-choice indicator column for one option. */
  | { kind: "option"; questionId: string; optionId: string }
  | { kind: "otherText"; questionId: string }
  | { kind: "matrixRow"; questionId: string; rowId: string }
  | { kind: "ignored"; reason: string };

export type MappedColumn = {
  /** 1-based column number as a spreadsheet shows it. */
  column: number;
  name: string;
  /** The question text row of a Qualtrics export, when present. */
  text?: string;
  /** The source's question key (`Q5` for `Q5_3_TEXT`); overrides are given per key. */
  sourceKey: string;
  target: ColumnTarget;
  matchedBy: "metadata" | "export-name" | "id" | "text" | "override" | "none";
};

/**
 * Admin overrides: source question key → questionnaire question id, or null to ignore the key's
 * columns. Keys are the part before `_<n>` / `_TEXT` (e.g. `Q5`), or the whole column name.
 */
export type QuestionKeyOverrides = Readonly<Record<string, string | null>>;

const METADATA_BY_FORMAT: Record<"qualtrics" | "plain", Record<string, MetadataField>> = {
  qualtrics: {
    responseid: "responseId",
    startdate: "startedAt",
    enddate: "submittedAt",
    finished: "finished",
    progress: "progress",
    status: "qualtricsStatus",
  },
  plain: {
    response_id: "responseId",
    responseid: "responseId",
    started_at: "startedAt",
    submitted_at: "submittedAt",
    finished: "finished",
    progress: "progress",
    status: "status",
    presentation_order: "presentationOrder",
  },
};

/** Normalises question texts and labels for matching: Unicode compatibility form, case, spacing. */
export const normalizeText = (text: string): string => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** Candidate question texts in a Qualtrics header cell: the whole text and the part before " - ". */
const textCandidates = (text: string): string[] => {
  const whole = normalizeText(text);
  const parts = whole.split(" - ");
  return [...new Set([whole, parts[0] ?? whole, parts.slice(0, -1).join(" - ")].filter((part) => part !== ""))];
};

const targetForSuffix = (question: Question, parsed: QualtricsName): ColumnTarget => {
  if (parsed.isText) {
    if (!("other" in question) || !question.other) return { kind: "ignored", reason: `Question "${question.id}" has no "Other" text.` };
    const otherCode = optionCodes(question).find((option) => option.id === OTHER_OPTION_ID)?.code;
    if (parsed.code !== undefined && parsed.code !== otherCode) {
      return { kind: "ignored", reason: `Text entry on option ${parsed.code} of "${question.id}" is not part of the questionnaire (its Other option has code ${otherCode}).` };
    }
    return { kind: "otherText", questionId: question.id };
  }
  if (parsed.code === undefined) {
    if (question.type === "matrix") return { kind: "ignored", reason: `Matrix "${question.id}" needs one column per row.` };
    return { kind: "value", questionId: question.id };
  }
  if (question.type === "multiple_choice") {
    const option = optionCodes(question).find((candidate) => candidate.code === parsed.code);
    return option
      ? { kind: "option", questionId: question.id, optionId: option.id }
      : { kind: "ignored", reason: `Question "${question.id}" has no option with value code ${parsed.code}.` };
  }
  if (question.type === "matrix") {
    // Matrices built from a .qsf name their rows r<Qualtrics choice id>, which is the export's suffix even
    // when choices were deleted or reordered; otherwise the suffix is the row's position.
    const row = question.rows.find((candidate) => candidate.id === `r${parsed.code}`) ?? question.rows[parsed.code - 1];
    return row ? { kind: "matrixRow", questionId: question.id, rowId: row.id } : { kind: "ignored", reason: `Matrix "${question.id}" has no row ${parsed.code}.` };
  }
  return { kind: "ignored", reason: `Question "${question.id}" (${question.type}) has no sub-columns.` };
};

/** Targets of our own export column names, built once per definition. */
const exportColumnTargets = (definition: QuestionnaireDefinition): Map<string, ColumnTarget> => {
  const targets = new Map<string, ColumnTarget>();
  for (const question of listQuestions(definition)) {
    const names = columnNamesOf(question);
    names.forEach((name) => {
      if (name === question.id) targets.set(name, question.type === "matrix" ? { kind: "ignored", reason: "" } : { kind: "value", questionId: question.id });
      else if (name === `${question.id}_${OTHER_OPTION_ID}_text`) targets.set(name, { kind: "otherText", questionId: question.id });
      else if (question.type === "multiple_choice") {
        const optionId = name.slice(question.id.length + 1);
        targets.set(name, { kind: "option", questionId: question.id, optionId });
      } else if (question.type === "matrix") targets.set(name, { kind: "matrixRow", questionId: question.id, rowId: name.slice(question.id.length + 1) });
    });
  }
  return targets;
};

/**
 * Proposes what each column holds.
 * @param definition the questionnaire the responses belong to.
 * @param layout.headers column names (first header row).
 * @param layout.texts question texts per column (second Qualtrics header row), if any.
 * @param layout.format "qualtrics" or "plain": decides how metadata names such as Status are read.
 * @param overrides admin choices per source key; they win over automatic matches.
 * @returns one entry per column, in order.
 */
export function proposeColumnMapping(
  definition: QuestionnaireDefinition,
  layout: { headers: readonly string[]; texts: readonly string[] | undefined; format: "qualtrics" | "plain" },
  overrides: QuestionKeyOverrides = {},
): MappedColumn[] {
  const { headers, texts, format } = layout;
  const questions = listQuestions(definition);
  const byId = new Map(questions.map((question) => [question.id, question]));
  const byLowerId = new Map(questions.map((question) => [question.id.toLowerCase(), question]));
  const byText = new Map(questions.map((question) => [normalizeText(question.text), question]));
  const exportTargets = exportColumnTargets(definition);
  const metadata = METADATA_BY_FORMAT[format];

  const parsedNames = headers.map((header) => parseQualtricsName(header.trim()));
  // A key matched by text on any of its columns applies to all of them (Q5_1 … Q5_7_TEXT share Q5).
  const keyByText = new Map<string, Question>();
  parsedNames.forEach((parsed, index) => {
    const text = texts?.[index];
    if (!text || keyByText.has(parsed.key)) return;
    const match = textCandidates(text).map((candidate) => byText.get(candidate)).find((question) => question !== undefined);
    if (match) keyByText.set(parsed.key, match);
  });

  return headers.map((rawHeader, index): MappedColumn => {
    const name = rawHeader.trim();
    const parsed = parsedNames[index] ?? { key: name, isText: false };
    const base = { column: index + 1, name, sourceKey: parsed.key, ...(texts?.[index] ? { text: texts[index] } : {}) };
    const overrideKey = Object.hasOwn(overrides, name) ? name : Object.hasOwn(overrides, parsed.key) ? parsed.key : undefined;
    if (overrideKey !== undefined) {
      const questionId = overrides[overrideKey];
      const question = questionId ? byId.get(questionId) : undefined;
      if (!question) return { ...base, sourceKey: overrideKey, target: { kind: "ignored", reason: questionId ? `Unknown question "${questionId}".` : "Ignored by choice." }, matchedBy: "override" };
      const target = overrideKey === name && parsed.key !== name ? targetForSuffix(question, { key: name, isText: false }) : targetForSuffix(question, parsed);
      return { ...base, sourceKey: overrideKey, target, matchedBy: "override" };
    }
    const field = metadata[name.toLowerCase()];
    if (field) return { ...base, sourceKey: name, target: { kind: "metadata", field }, matchedBy: "metadata" };
    const exportTarget = exportTargets.get(name);
    if (exportTarget && exportTarget.kind !== "ignored") return { ...base, sourceKey: name, target: exportTarget, matchedBy: "export-name" };
    const byKey = byLowerId.get(parsed.key.toLowerCase());
    if (byKey) return { ...base, target: targetForSuffix(byKey, parsed), matchedBy: "id" };
    const byQuestionText = keyByText.get(parsed.key);
    if (byQuestionText) return { ...base, target: targetForSuffix(byQuestionText, parsed), matchedBy: "text" };
    return { ...base, target: { kind: "ignored", reason: "No matching question; map it by hand if it holds answers." }, matchedBy: "none" };
  });
}
