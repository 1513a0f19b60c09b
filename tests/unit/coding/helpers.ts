import { readFileSync } from "node:fs";
import path from "node:path";
import { parseCodebook, type Codebook, type CodingAnswers } from "@/lib/coding/codebook";
import type { PaperCoding } from "@/lib/coding/conflicts";

/** The shipped reference codebook, parsed (throws if the shipped file is invalid). */
export function referenceCodebook(): Codebook {
  const parsed = parseCodebook(readFileSync(path.resolve(import.meta.dirname, "../../../data/codebooks/pham2020.yaml"), "utf8"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

export const coding = (paperKey: string, coderId: string, answers: CodingAnswers): PaperCoding => ({ paperKey, coderId, answers });

/** A complete "does not train DL" coding. */
export const irrelevant: CodingAnswers = { trainsDL: "no" };
/** A complete relevant coding; overrides change single answers. */
export const relevant = (overrides: CodingAnswers = {}): CodingAnswers => ({
  trainsDL: "yes",
  multipleRuns: "no",
  seedsReported: "no",
  networks: ["other"],
  ...overrides,
});
