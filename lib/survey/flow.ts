/**
 * Navigation through a questionnaire: which pages are shown, where "Next" and "Previous" lead, how far
 * the participant is, and whether the response is complete.
 *
 * A page is one section. Pages are recomputed from the answers every time, so changing an earlier
 * answer can add or remove later pages; progress is measured against the pages that will be shown for
 * the current answers, not against all sections.
 *
 * Hidden answers rule: while a response is in progress its draft keeps answers to questions that have
 * become hidden (so flipping an answer back and forth does not erase what the participant typed), but
 * such answers never influence conditions, validation or progress. On final submission
 * `finalizeAnswers` drops them, and only visible, valid answers are stored as the completed response.
 */
import type { Question, QuestionnaireDefinition, Section, TermDefinition } from "./definition";
import { definitionsForPage } from "./definition";
import type { Answers } from "./answer-types";
import { resolveVisibility } from "./conditions";
import { readPageForm, validatePageAnswers } from "./answers";
import type { FormFields } from "./answers";

/** What a participant has done so far. */
export type FlowInput = {
  answers: Answers;
  /**
   * Sections whose page the participant has submitted. Lets a page with only optional questions count
   * as done when left blank. Imported responses without this record are judged by their answers only.
   */
  submittedSectionIds?: readonly string[];
};

/** One page as shown: the section, its visible questions (definition order) and the terms to define. */
export type PageView = { section: Section; questions: Question[]; definitions: TermDefinition[] };

export type FlowProgress = {
  /** Pages done: all visible required questions answered validly, and submitted or answered. */
  answeredPages: number;
  /** Pages that will be shown given the current answers. */
  totalPages: number;
  /** answeredPages / totalPages in [0, 1]; 1 for a questionnaire with no visible pages. */
  fraction: number;
};

/**
 * The pages a participant will see for the current answers, in order.
 * @param definition a parsed questionnaire.
 * @param answers answers so far (hidden ones are ignored).
 */
export function visiblePages(definition: QuestionnaireDefinition, answers: Answers): PageView[] {
  return resolveVisibility(definition, answers).pages.map(({ section, questions }) => ({
    section,
    questions,
    definitions: definitionsForPage(definition, section, questions),
  }));
}

const isPageDone = (definition: QuestionnaireDefinition, page: PageView, input: FlowInput): boolean => {
  if (!validatePageAnswers(definition, page.section.id, input.answers).ok) return false;
  if (input.submittedSectionIds?.includes(page.section.id)) return true;
  return page.questions.some((question) => input.answers[question.id] !== undefined);
};

/**
 * Progress of a response.
 * @param definition a parsed questionnaire.
 * @param input answers and submitted pages.
 */
export function progressOf(definition: QuestionnaireDefinition, input: FlowInput): FlowProgress {
  const pages = visiblePages(definition, input.answers);
  const answeredPages = pages.filter((page) => isPageDone(definition, page, input)).length;
  return { answeredPages, totalPages: pages.length, fraction: pages.length === 0 ? 1 : answeredPages / pages.length };
}

/**
 * Whether every page that will be shown is done (see `FlowProgress.answeredPages`).
 * @param definition a parsed questionnaire.
 * @param input answers and submitted pages.
 */
export const isResponseComplete = (definition: QuestionnaireDefinition, input: FlowInput): boolean => {
  const { answeredPages, totalPages } = progressOf(definition, input);
  return answeredPages === totalPages;
};

/**
 * Where a participant resumes: the first shown page that is not done, or null when complete.
 * @param definition a parsed questionnaire.
 * @param input answers and submitted pages.
 */
export function resumePage(definition: QuestionnaireDefinition, input: FlowInput): PageView | null {
  return visiblePages(definition, input.answers).find((page) => !isPageDone(definition, page, input)) ?? null;
}

/**
 * The first page (after consent).
 * @returns null when no page is shown at all (every section hidden by its condition).
 */
export const firstPage = (definition: QuestionnaireDefinition, answers: Answers): PageView | null => visiblePages(definition, answers)[0] ?? null;

/**
 * The page after `currentSectionId`, computed with the current answers (so a just-given answer can
 * skip or add sections). If the current section is no longer shown, the next shown section after its
 * position in the definition is returned.
 * @returns the next page, or null when the current page is the last one (time to submit).
 * @throws Error when `currentSectionId` is not a section of the definition (a programming error).
 */
export function nextPage(definition: QuestionnaireDefinition, answers: Answers, currentSectionId: string): PageView | null {
  const currentIndex = sectionIndexOf(definition, currentSectionId);
  return visiblePages(definition, answers).find((page) => sectionIndexOf(definition, page.section.id) > currentIndex) ?? null;
}

/**
 * The page before `currentSectionId` among the pages shown for the current answers.
 * @returns the previous page, or null on the first page (go back to the welcome/consent screen).
 * @throws Error when `currentSectionId` is not a section of the definition.
 */
export function previousPage(definition: QuestionnaireDefinition, answers: Answers, currentSectionId: string): PageView | null {
  const currentIndex = sectionIndexOf(definition, currentSectionId);
  const before = visiblePages(definition, answers).filter((page) => sectionIndexOf(definition, page.section.id) < currentIndex);
  return before[before.length - 1] ?? null;
}

const sectionIndexOf = (definition: QuestionnaireDefinition, sectionId: string): number => {
  const index = definition.sections.findIndex((section) => section.id === sectionId);
  if (index < 0) throw new Error(`Unknown section "${sectionId}" in questionnaire "${definition.id}".`);
  return index;
};

/** Result of final submission. */
export type FinalizeResult =
  | { ok: true; answers: Answers; droppedQuestionIds: string[] }
  | { ok: false; firstIncompleteSectionId: string; fieldErrors: Record<string, string> };

/**
 * Prepares a response for final submission: validates every shown page and drops answers to questions
 * that are hidden for the final answers (documented at the top of this file).
 *
 * @param definition a parsed questionnaire.
 * @param answers the draft answers.
 * @returns the answers to store (visible, normalised) and the ids that were dropped, or the first page
 *   with problems and its messages so the participant can be sent back there.
 */
export function finalizeAnswers(definition: QuestionnaireDefinition, answers: Answers): FinalizeResult {
  const visibility = resolveVisibility(definition, answers);
  const finalAnswers: Answers = {};
  for (const page of visibility.pages) {
    const validation = validatePageAnswers(definition, page.section.id, answers);
    if (!validation.ok) return { ok: false, firstIncompleteSectionId: page.section.id, fieldErrors: validation.fieldErrors };
    Object.assign(finalAnswers, validation.answers);
  }
  const droppedQuestionIds = Object.keys(answers).filter((id) => finalAnswers[id] === undefined);
  return { ok: true, answers: finalAnswers, droppedQuestionIds };
}

/** Result of submitting one page's form. */
export type PageSubmission =
  | {
      ok: true;
      /** All draft answers after this page: the page's questions replaced by what was submitted. */
      answers: Answers;
      /** Where to go next, or null when this was the last page (time for `finalizeAnswers`). */
      next: PageView | null;
    }
  | {
      ok: false;
      /** Messages by question id, to show next to each question. */
      fieldErrors: Record<string, string>;
      /** The page's fields as typed, to re-render the form without losing input. */
      fields: FormFields;
    };

/**
 * Handles a page's form submission in one call: converts the fields, merges them into the draft
 * (a field left empty clears that question's earlier answer), validates the page and finds the next
 * page with the new answers. Nothing is stored here; the caller saves `answers` on success.
 *
 * @param definition a parsed questionnaire.
 * @param sectionId the page that was submitted.
 * @param draftAnswers the answers saved so far.
 * @param fields the submitted form fields (see the naming convention in lib/survey/answers.ts).
 * @throws Error when `sectionId` is not a section of the definition (a programming error).
 */
export function submitPage(definition: QuestionnaireDefinition, sectionId: string, draftAnswers: Answers, fields: FormFields): PageSubmission {
  const section = definition.sections.find((candidate) => candidate.id === sectionId);
  if (!section) throw new Error(`Unknown section "${sectionId}" in questionnaire "${definition.id}".`);
  const reading = readPageForm(section, fields);
  const merged: Answers = { ...draftAnswers };
  for (const question of section.questions) delete merged[question.id];
  Object.assign(merged, reading.answers);
  const validation = validatePageAnswers(definition, sectionId, merged);
  // Conversion messages ("not a number") win over validation messages for the same question.
  const fieldErrors = { ...(validation.ok ? {} : validation.fieldErrors), ...reading.fieldErrors };
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, fields: reading.fields };
  // Keep normalised page answers (trimmed text, canonical order); hidden page questions keep their draft value.
  const answers: Answers = { ...merged, ...validation.answers };
  return { ok: true, answers, next: nextPage(definition, answers, sectionId) };
}

/** Progress as the participant sees it: pages before the current one out of the pages shown for these answers. */
export function pageProgress(definition: QuestionnaireDefinition, answers: Answers, currentSection: string | null): { index: number; total: number; percent: number } {
  const pages = visiblePages(definition, answers);
  const found = currentSection ? pages.findIndex((page) => page.section.id === currentSection) : 0;
  const index = found < 0 ? 0 : found;
  return { index, total: pages.length, percent: pages.length === 0 ? 100 : Math.round((100 * index) / pages.length) };
}
