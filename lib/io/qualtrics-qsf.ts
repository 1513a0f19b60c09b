/**
 * Builds a questionnaire definition from a Qualtrics survey file (.qsf, JSON), for review before it is
 * saved. What maps:
 * - blocks in survey-flow order → sections; a page break inside a block starts a new section (one
 *   section is one page here);
 * - multiple choice (single answer: SAVR/SAHR/SACOL/DL/NPS; multiple answer: MAVR/MAHR/MACOL/MSB) with
 *   choice order, recode values as value codes (so numeric exports match), "exclusive" answers, one
 *   text-entry choice as "Other", choice randomisation;
 * - matrix tables of the Likert kind with one answer per row → matrix (rows = statements, columns =
 *   scale points with their recode values);
 * - text entry: single line → short text, multi-line/essay → long text, "valid number" content → numeric;
 * - "force response" → required;
 * - display logic on earlier choice questions (Selected / Not Selected, with And / Or; And binds
 *   tighter than Or) → showIf.
 * Everything else (other question types, descriptive text, logic on embedded data or later questions,
 * branches and randomisers in the flow, matrix cells in conditions, …) is listed as a note, never
 * silently dropped. Question ids are the export tags, so exported columns match by id later.
 */
import { z } from "zod";
import type { Condition, QuestionnaireDefinitionInput } from "@/lib/survey/definition";
import { OTHER_OPTION_ID } from "@/lib/survey/definition";
import { htmlToText, importedFrame, languageTag, optionIdFrom, toStableId, type CarryOverNote, type QualtricsConversion } from "./qualtrics-common";

type QuestionInput = QuestionnaireDefinitionInput["sections"][number]["questions"][number];
type SectionInput = QuestionnaireDefinitionInput["sections"][number];

const elementSchema = z.object({ Element: z.string(), PrimaryAttribute: z.unknown().optional(), Payload: z.unknown() }).passthrough();
const qsfSchema = z.object({
  SurveyEntry: z.object({ SurveyName: z.string().optional(), SurveyID: z.string().optional(), SurveyLanguage: z.string().optional() }).passthrough(),
  SurveyElements: z.array(elementSchema),
});

/** Qualtrics stores many lists either as arrays or as objects keyed "0", "1", …; read both in order. */
const listOf = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  }
  return [];
};
const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

type Choice = { qualtricsId: string; label: string; code: number; textEntry: boolean; exclusive: boolean };

/** Choices in the survey's order, with recode values as codes (falling back to the choice id). */
const readChoices = (choicesValue: unknown, orderValue: unknown, recodeValue: unknown): Choice[] => {
  const choices = record(choicesValue);
  const recodes = record(recodeValue);
  const order = listOf(orderValue).map(text).filter((id) => id in choices);
  const ids = order.length > 0 ? order : Object.keys(choices).sort((a, b) => Number(a) - Number(b));
  return ids.map((id) => {
    const choice = record(choices[id]);
    const recode = Number(text(recodes[id]));
    const label = htmlToText(text(choice.Display)) || `Choice ${id}`;
    const textEntry = choice.TextEntry === true || choice.TextEntry === "true";
    return { qualtricsId: id, label, code: Number.isInteger(recode) && text(recodes[id]) !== "" ? recode : Number(id), textEntry, exclusive: choice.ExclusiveAnswer === true };
  });
};

type Converted = { question: QuestionInput; choiceIds: Map<string, string>; rowIds?: Map<string, string> } | { skip: string };

const convertQuestion = (payload: Record<string, unknown>, id: string, notes: CarryOverNote[]): Converted => {
  const type = text(payload.QuestionType);
  const selector = text(payload.Selector);
  const subSelector = text(payload.SubSelector);
  const questionText = htmlToText(text(payload.QuestionText)) || id;
  const required = record(record(payload.Validation).Settings).ForceResponse === "ON";
  const base = { id, text: questionText, required };
  const where = `${id} (${text(payload.QuestionID) || "?"})`;

  if (type === "MC") {
    const single = ["SAVR", "SAHR", "SACOL", "DL", "SB", "NPS"].includes(selector);
    const multiple = ["MAVR", "MAHR", "MACOL", "MSB"].includes(selector);
    if (!single && !multiple) return { skip: `multiple choice with selector "${selector}" is not supported` };
    const choices = readChoices(payload.Choices, payload.ChoiceOrder, payload.RecodeValues);
    const textEntries = choices.filter((choice) => choice.textEntry);
    const other = textEntries.at(-1);
    if (textEntries.length > 1) notes.push({ where, message: `only one choice can take typed text here; "${other?.label}" became "Other", the text boxes of ${textEntries.slice(0, -1).map((c) => `"${c.label}"`).join(", ")} were dropped.` });
    const taken = new Set([OTHER_OPTION_ID]);
    const choiceIds = new Map<string, string>();
    const options = choices
      .filter((choice) => choice !== other)
      .map((choice) => {
        const optionId = optionIdFrom(choice.label, taken);
        choiceIds.set(choice.qualtricsId, optionId);
        return { id: optionId, label: choice.label, code: choice.code, ...(multiple && choice.exclusive ? { exclusive: true } : {}) };
      });
    if (other) choiceIds.set(other.qualtricsId, OTHER_OPTION_ID);
    const randomize = text(record(payload.Randomization).Type) === "All";
    const otherField = other ? { other: { label: other.label, code: other.code } } : {};
    if (single) {
      if (options.length < 2) return { skip: "a single-choice question needs at least two choices besides a text entry" };
      return { question: { ...base, type: "single_choice", options, ...otherField, randomizeOptions: randomize }, choiceIds };
    }
    if (options.length < 1) return { skip: "a multiple-choice question needs at least one choice" };
    return { question: { ...base, type: "multiple_choice", options, ...otherField, randomizeOptions: randomize }, choiceIds };
  }

  if (type === "Matrix") {
    if (selector !== "Likert" || subSelector !== "SingleAnswer") return { skip: `matrix of kind "${selector}/${subSelector}" is not supported (only one answer per row)` };
    const rows = readChoices(payload.Choices, payload.ChoiceOrder, undefined);
    const columns = readChoices(payload.Answers, payload.AnswerOrder, payload.RecodeValues);
    if (rows.some((row) => row.textEntry)) notes.push({ where, message: "text boxes on matrix rows were dropped." });
    const rowTaken = new Set<string>();
    const rowIds = new Map<string, string>();
    // Row ids r<choice id> keep the export's <tag>_<choice id> columns matching the right row.
    const rowsOut = rows.map((row) => {
      const rowId = toStableId(`r${row.qualtricsId}`, rowTaken, "r");
      rowIds.set(row.qualtricsId, rowId);
      return { id: rowId, label: row.label };
    });
    const columnTaken = new Set<string>([OTHER_OPTION_ID]);
    const choiceIds = new Map<string, string>();
    const columnsOut = columns.map((column) => {
      const columnId = optionIdFrom(column.label, columnTaken);
      choiceIds.set(column.qualtricsId, columnId);
      return { id: columnId, label: column.label, code: column.code };
    });
    if (rowsOut.length < 1 || columnsOut.length < 2) return { skip: "a matrix needs at least one row and two columns" };
    return { question: { ...base, type: "matrix", rows: rowsOut, columns: columnsOut }, choiceIds, rowIds };
  }

  if (type === "TE") {
    const content = text(record(record(payload.Validation).Settings).ContentType);
    if (selector === "FORM") return { skip: "form fields (several text boxes in one question) are not supported" };
    if (content === "ValidNumber") {
      const settings = record(record(record(payload.Validation).Settings).ValidNumber);
      const min = Number(text(settings.Min));
      const max = Number(text(settings.Max));
      return {
        question: { ...base, type: "numeric", ...(text(settings.Min) !== "" && Number.isFinite(min) ? { min } : {}), ...(text(settings.Max) !== "" && Number.isFinite(max) ? { max } : {}) },
        choiceIds: new Map(),
      };
    }
    if (selector === "SL") return { question: { ...base, type: "short_text" }, choiceIds: new Map() };
    if (selector === "ML" || selector === "ESTB") return { question: { ...base, type: "long_text" }, choiceIds: new Map() };
    return { skip: `text entry of kind "${selector}" is not supported` };
  }

  if (type === "DB") return { skip: "descriptive text is not a question; add it to the section description if participants need it" };
  const kinds: Record<string, string> = { Slider: "slider", RO: "rank order", CS: "constant sum", SBS: "side-by-side", Timing: "timing", Meta: "meta info", FileUpload: "file upload", Draw: "signature", HeatMap: "heat map", HotSpot: "hot spot", PGR: "pick, group and rank" };
  return { skip: `${kinds[type] ?? `"${type}"`} questions are not supported` };
};

type Known = { id: string; question: QuestionInput; choiceIds: Map<string, string>; order: number };

/** Display logic → condition; null with a note when any part cannot be expressed. */
const convertDisplayLogic = (logic: unknown, self: Known, known: Map<string, Known>, notes: CarryOverNote[]): Condition | null => {
  const where = self.id;
  const sets = listOf(record(logic)).filter((set) => record(set).Type === "If" || Object.keys(record(set)).some((key) => /^\d+$/.test(key)));
  const groups: Condition[][] = [];
  for (const set of sets) {
    const expressions = listOf(Object.fromEntries(Object.entries(record(set)).filter(([key]) => /^\d+$/.test(key))));
    for (const expressionValue of expressions) {
      const expression = record(expressionValue);
      // Qualtrics spells the key "Conjuction"; between sets the first expression carries it.
      const conjunction = text(expression.Conjuction ?? expression.Conjunction) || "And";
      if (expression.LogicType !== "Question") {
        notes.push({ where, message: `display logic on ${text(expression.LogicType) || "something other than a question"} was not carried over; the question is always shown.` });
        return null;
      }
      const locator = /^q:\/\/(QID\d+)\/SelectableChoice\/(\d+)$/.exec(text(expression.ChoiceLocator ?? expression.LeftOperand));
      const operator = text(expression.Operator);
      const target = locator?.[1] ? known.get(locator[1]) : undefined;
      const optionId = locator?.[2] && target ? target.choiceIds.get(locator[2]) : undefined;
      if (!locator || !target || !optionId || target.order >= self.order || !(operator === "Selected" || operator === "NotSelected")) {
        notes.push({ where, message: `display logic "${htmlToText(text(expression.Description)) || operator}" could not be expressed (only "Selected"/"Not Selected" on a choice of an earlier question maps); the question is always shown.` });
        return null;
      }
      const equals: Condition = { equals: { question: target.id, value: optionId } };
      const condition: Condition = operator === "Selected" ? equals : { not: equals };
      if (groups.length === 0 || conjunction === "Or") groups.push([condition]);
      else groups[groups.length - 1]?.push(condition);
    }
  }
  if (groups.length === 0) return null;
  const anyOf = groups.map((group) => (group.length === 1 ? (group[0] as Condition) : { all: group }));
  return anyOf.length === 1 ? (anyOf[0] as Condition) : { any: anyOf };
};

/**
 * Converts a .qsf file's text.
 * @returns a definition to review (not yet validated against the full schema; the create step does that,
 *   with line numbers) and the notes on what was not carried over; or a clear error for a file that is not a .qsf.
 */
export function questionnaireFromQsf(fileText: string): QualtricsConversion {
  let json: unknown;
  try {
    json = JSON.parse(fileText.replace(/^\uFEFF/, ""));
  } catch {
    return { ok: false, error: "This is not a Qualtrics survey file: a .qsf file is JSON, and this file is not valid JSON." };
  }
  const parsed = qsfSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: "This JSON is not a Qualtrics survey file: it has no SurveyEntry and SurveyElements." };
  const { SurveyEntry: entry, SurveyElements: elements } = parsed.data;
  const notes: CarryOverNote[] = [];

  const questions = new Map<string, Record<string, unknown>>();
  for (const element of elements) if (element.Element === "SQ") questions.set(text(element.PrimaryAttribute) || text(record(element.Payload).QuestionID), record(element.Payload));
  const blockElement = elements.find((element) => element.Element === "BL");
  const blocks = listOf(blockElement?.Payload).map(record);
  const blocksById = new Map(blocks.map((block) => [text(block.ID), block]));
  const flowElement = elements.find((element) => element.Element === "FL");

  // Blocks in flow order; flow elements other than blocks (branches, randomisers, embedded data) are noted.
  const flowBlocks: string[] = [];
  const walk = (flow: unknown): void => {
    for (const itemValue of listOf(flow)) {
      const item = record(itemValue);
      const type = text(item.Type);
      if (type === "Block" || type === "Standard") flowBlocks.push(text(item.ID));
      else if (type === "Branch" || type === "BlockRandomizer" || type === "Randomizer") {
        notes.push({ where: "survey flow", message: `a ${type === "Branch" ? "branch" : "randomizer"} in the survey flow was not carried over; its blocks appear in order for everyone.` });
        walk(item.Flow);
      } else if (type === "Group") walk(item.Flow);
      else if (type === "EmbeddedData") notes.push({ where: "survey flow", message: "embedded data fields were not carried over (their columns can be ignored at import)." });
      else if (type === "EndSurvey") continue;
      else if (type !== "") notes.push({ where: "survey flow", message: `flow element "${type}" was not carried over.` });
    }
  };
  walk(record(flowElement?.Payload).Flow);
  const blockOrder = flowBlocks.length > 0 ? flowBlocks : blocks.filter((block) => text(block.Type) !== "Trash").map((block) => text(block.ID));

  const sectionIds = new Set<string>();
  const questionIds = new Set<string>();
  const known = new Map<string, Known>();
  const sections: SectionInput[] = [];
  let order = 0;
  const pendingLogic: Array<{ self: Known; logic: unknown }> = [];
  for (const blockId of blockOrder) {
    const block = blocksById.get(blockId);
    if (!block) continue;
    const title = htmlToText(text(block.Description)) || "Questions";
    if (text(record(block.Options).RandomizeQuestions) !== "" && text(record(block.Options).RandomizeQuestions) !== "false") {
      notes.push({ where: title, message: "question randomisation inside the block was not carried over." });
    }
    let page: QuestionInput[] = [];
    let pageNumber = 1;
    const closePage = (): void => {
      if (page.length === 0) return;
      const sectionTitle = pageNumber === 1 ? title : `${title} (page ${pageNumber})`;
      sections.push({ id: toStableId(sectionTitle.toLowerCase(), sectionIds, "s", 30), title: sectionTitle, questions: page });
      page = [];
      pageNumber += 1;
    };
    for (const itemValue of listOf(block.BlockElements)) {
      const item = record(itemValue);
      if (item.Type === "Page Break") {
        closePage();
        continue;
      }
      if (item.Type !== "Question") continue;
      const qid = text(item.QuestionID);
      const payload = questions.get(qid);
      if (!payload) continue;
      const tag = text(payload.DataExportTag) || qid;
      const id = toStableId(tag, questionIds, "Q", 64);
      const where = `${id} (${qid})`;
      const converted = convertQuestion({ ...payload, QuestionID: qid }, id, notes);
      if ("skip" in converted) {
        questionIds.delete(id.toLowerCase());
        notes.push({ where, message: `${converted.skip}; the question was left out.` });
        continue;
      }
      if (id !== tag) notes.push({ where, message: `the export tag "${tag}" is not a valid variable name here and became "${id}"; its columns will match by question text or by hand.` });
      const self: Known = { id, question: converted.question, choiceIds: converted.choiceIds, order: order++ };
      known.set(qid, self);
      page.push(converted.question);
      if (payload.DisplayLogic) pendingLogic.push({ self, logic: payload.DisplayLogic });
      if (payload.SkipLogic) notes.push({ where, message: "skip logic (jumping to the end of the block or survey) was not carried over." });
    }
    closePage();
  }
  for (const { self, logic } of pendingLogic) {
    const condition = convertDisplayLogic(logic, self, known, notes);
    if (condition) (self.question as { showIf?: Condition }).showIf = condition;
  }
  if (sections.length === 0) return { ok: false, error: "The survey file has no question that can be carried over." };

  const title = entry.SurveyName?.trim() || "Imported survey";
  const definition: QuestionnaireDefinitionInput = {
    ...importedFrame(toStableId(title.toLowerCase(), new Set(), "survey", 40), title, languageTag(entry.SurveyLanguage), "the Qualtrics survey file"),
    sections,
  };
  return { ok: true, definition, notes };
}
