/**
 * Per-participant presentation order: shuffled questions in sections with `randomizeQuestions`,
 * shuffled options of questions with `randomizeOptions` (matrix: rows with `randomizeRows`).
 *
 * The order is drawn from the participant's seed and is meant to be stored with the response, so
 * order effects can be analysed later; the same seed and definition always give the same order. Each
 * section and question gets its own derived seed (`deriveSeed(seed, "questions", sectionId)`), so
 * adding a question elsewhere does not reshuffle everything else.
 *
 * Anchored items (`anchored: true`) keep their position; only the unanchored items are permuted
 * among the remaining positions. "Other: please specify" is not part of the list and always comes last.
 */
import { z } from "zod";
import { createRng, deriveSeed, shuffled } from "@/lib/stats/random";
import type { Rng } from "@/lib/stats/random";
import { listedOptions, stableIdSchema } from "./definition";
import type { ChoiceOption, Question, QuestionnaireDefinition, Section } from "./definition";

/** The order shown to one participant; only randomised sections/questions have entries. */
export const presentationOrderSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff),
  /** Section id → question ids in shown order. */
  questions: z.record(stableIdSchema, z.array(stableIdSchema)),
  /** Question id → option ids (matrix: row ids) in shown order, without "other". */
  options: z.record(stableIdSchema, z.array(stableIdSchema)),
});
export type PresentationOrder = z.infer<typeof presentationOrderSchema>;

/**
 * Shuffles the unanchored items while anchored items stay at their indices.
 * @param items the items in definition order (not modified).
 * @param isAnchored which items keep their position.
 * @param rng a seeded generator from lib/stats/random.
 * @returns a new array.
 */
export function shuffleWithAnchors<T>(items: readonly T[], isAnchored: (item: T) => boolean, rng: Rng): T[] {
  const free = shuffled(items.filter((item) => !isAnchored(item)), rng);
  let next = 0;
  return items.map((item) => (isAnchored(item) ? item : (free[next++] as T)));
}

type Orderable = { id: string; anchored: boolean };

const randomisedItemsOf = (question: Question): Orderable[] | null => {
  if ((question.type === "single_choice" || question.type === "multiple_choice") && question.randomizeOptions) return question.options;
  if (question.type === "matrix" && question.randomizeRows) return question.rows;
  return null;
};

/**
 * Draws the presentation order for one participant.
 * @param definition a parsed questionnaire.
 * @param seed the participant's seed, an integer in [0, 2^32); store it with the response.
 * @returns the order to store (validates with `presentationOrderSchema`).
 * @throws RangeError when the seed is not an integer.
 */
export function drawPresentationOrder(definition: QuestionnaireDefinition, seed: number): PresentationOrder {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const order: PresentationOrder = { seed: seed >>> 0, questions: {}, options: {} };
  for (const section of definition.sections) {
    if (section.randomizeQuestions) {
      const rng = createRng(deriveSeed(seed, "questions", section.id));
      order.questions[section.id] = shuffleWithAnchors(section.questions, (question) => question.anchored, rng).map((question) => question.id);
    }
    for (const question of section.questions) {
      const items = randomisedItemsOf(question);
      if (!items) continue;
      const rng = createRng(deriveSeed(seed, "options", question.id));
      order.options[question.id] = shuffleWithAnchors(items, (item) => item.anchored, rng).map((item) => item.id);
    }
  }
  return order;
}

/** Reorders items by a stored id order; items missing from it (definition changed) keep their relative order at the end. */
const applyIdOrder = <T extends { id: string }>(items: readonly T[], ids: readonly string[] | undefined): T[] => {
  if (!ids) return items.slice();
  const rank = new Map(ids.map((id, index) => [id, index]));
  return items
    .map((item, index) => ({ item, key: rank.get(item.id) ?? ids.length + index }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
};

/**
 * A section's questions in the participant's order.
 * @param section the section.
 * @param questions the questions to order (e.g. only the visible ones), in definition order.
 * @param order the stored order, or undefined for definition order.
 */
export const orderQuestions = (section: Section, questions: readonly Question[], order: PresentationOrder | undefined): Question[] =>
  applyIdOrder(questions, order?.questions[section.id]);

/**
 * A choice question's listed options (binned estimates: bins) in the participant's order; "other"
 * is not included and is shown last.
 */
export const orderOptions = (question: Question & { type: "single_choice" | "multiple_choice" | "binned_estimate" }, order: PresentationOrder | undefined): ChoiceOption[] =>
  applyIdOrder(listedOptions(question), order?.options[question.id]);

/** A matrix question's rows in the participant's order. */
export const orderMatrixRows = (question: Question & { type: "matrix" }, order: PresentationOrder | undefined): Array<(typeof question.rows)[number]> =>
  applyIdOrder(question.rows, order?.options[question.id]);
