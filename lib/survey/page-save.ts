/**
 * What a participant's page save does, worked out without the database: which answers to upsert, which to
 * delete, where the response goes next, and what to tell the participant. lib/db/responses.ts reads the
 * response, asks these plans, and applies the write in one guarded statement.
 */
import type { QuestionnaireDefinition, Section } from "./definition";
import type { Answers } from "./answer-types";
import { checkAnswer, readPageForm, type FormFields } from "./answers";
import { resolveVisibility } from "./conditions";
import { finalizeAnswers, previousPage, submitPage } from "./flow";

export type SavePageResult =
  | { ok: true; status: "page"; sectionId: string; saved: number }
  | { ok: true; status: "completed"; saved: number }
  | { ok: false; fieldErrors: Record<string, string>; fields: FormFields; sectionId: string };

/** The change a page save makes: answers to upsert, answer rows to delete, and where the response goes. */
export type PageWrite = {
  upsert: Answers;
  remove: string[];
  move: { status: "IN_PROGRESS"; currentSection: string } | { status: "COMPLETED" };
};

/** A page save worked out: the write to apply and what to answer, or a refusal with the page's errors. */
export type SavePlan = { ok: true; write: PageWrite; result: SavePageResult } | { ok: false; result: SavePageResult };

/** "Back": keep the page's valid answers and go one page back. */
export function planBack(definition: QuestionnaireDefinition, section: Section, draft: Answers, fields: FormFields): SavePlan {
  const reading = readPageForm(section, fields);
  const keep: Answers = {};
  const visible = resolveVisibility(definition, { ...draft, ...reading.answers }).visibleQuestionIds;
  for (const question of section.questions) {
    if (!visible.has(question.id) || reading.fieldErrors[question.id]) continue;
    const check = checkAnswer({ ...question, required: false }, reading.answers[question.id]);
    if (check.ok && check.value !== undefined) keep[question.id] = check.value;
  }
  const target = previousPage(definition, { ...draft, ...keep }, section.id)?.section.id ?? section.id;
  return {
    ok: true,
    write: { upsert: keep, remove: [], move: { status: "IN_PROGRESS", currentSection: target } },
    result: { ok: true, status: "page", sectionId: target, saved: Object.keys(keep).length },
  };
}

/** "Next": validate the page, then go on to the next page shown for the new answers, or complete the response. */
export function planNext(definition: QuestionnaireDefinition, section: Section, draft: Answers, fields: FormFields): SavePlan {
  const submission = submitPage(definition, section.id, draft, fields);
  if (!submission.ok) return { ok: false, result: { ok: false, fieldErrors: submission.fieldErrors, fields: submission.fields, sectionId: section.id } };
  // Visible questions were validated by submitPage. Hidden ones keep a draft value (so flipping an earlier
  // answer back does not erase it) only when it is a valid answer: nothing unchecked reaches the database.
  const visible = resolveVisibility(definition, submission.answers).visibleQuestionIds;
  const pageAnswers: Answers = {};
  for (const question of section.questions) {
    const value = submission.answers[question.id];
    if (value === undefined) continue;
    if (visible.has(question.id)) pageAnswers[question.id] = value;
    else {
      const check = checkAnswer({ ...question, required: false }, value);
      if (check.ok && check.value !== undefined) pageAnswers[question.id] = check.value;
    }
  }
  const cleared = section.questions.map((question) => question.id).filter((id) => draft[id] !== undefined && pageAnswers[id] === undefined);
  const saved = Object.keys(pageAnswers).length;

  if (submission.next) {
    const sectionId = submission.next.section.id;
    return { ok: true, write: { upsert: pageAnswers, remove: cleared, move: { status: "IN_PROGRESS", currentSection: sectionId } }, result: { ok: true, status: "page", sectionId, saved } };
  }
  const final = finalizeAnswers(definition, submission.answers);
  if (!final.ok) {
    // An earlier page is incomplete (e.g. a changed answer made a required question appear): send them there.
    const sectionId = final.firstIncompleteSectionId;
    return { ok: true, write: { upsert: pageAnswers, remove: cleared, move: { status: "IN_PROGRESS", currentSection: sectionId } }, result: { ok: true, status: "page", sectionId, saved } };
  }
  // Answers to questions that ended up hidden are removed on completion; one statement cannot both upsert and
  // delete a row, so they are left out of the upsert.
  const dropped = new Set(final.droppedQuestionIds);
  const upsert = Object.fromEntries(Object.entries(pageAnswers).filter(([id]) => !dropped.has(id)));
  return { ok: true, write: { upsert, remove: [...new Set([...cleared, ...dropped])], move: { status: "COMPLETED" } }, result: { ok: true, status: "completed", saved } };
}
