/**
 * Where an unfinished response stopped, judged from the answers it has: the page after the last page
 * with an answer (pages that are shown for these answers), or the first page when nothing was answered.
 * Used for responses imported from elsewhere, which carry answers but not the page the participant
 * was on; web responses record their page as they go.
 */
import type { Answers } from "./answer-types";
import type { QuestionnaireDefinition } from "./definition";
import { visiblePages } from "./flow";

/** @returns the section id of the page the participant stopped on, or null for a questionnaire without pages. */
export function stoppedOnSection(definition: QuestionnaireDefinition, answers: Answers): string | null {
  const pages = visiblePages(definition, answers);
  if (pages.length === 0) return null;
  let lastAnswered = -1;
  pages.forEach((page, index) => {
    if (page.questions.some((question) => answers[question.id] !== undefined)) lastAnswered = index;
  });
  const stopped = pages[Math.min(lastAnswered + 1, pages.length - 1)];
  return stopped?.section.id ?? null;
}
