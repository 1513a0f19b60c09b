import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  answerKey,
  askedQuestions,
  isQuestionAsked,
  optionShortcuts,
  parseCodebook,
  validateCodingAnswers,
  type Codebook,
} from "@/lib/coding/codebook";

const repoFile = (relative: string) => readFileSync(path.resolve(import.meta.dirname, "../../..", relative), "utf8");

function loadReferenceCodebook(): Codebook {
  const parsed = parseCodebook(repoFile("data/codebooks/pham2020.yaml"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

describe("the shipped reference codebook (pham2020.yaml)", () => {
  const codebook = loadReferenceCodebook();

  it("has the reference study's questions in order", () => {
    expect(codebook.version).toBe(1);
    expect(codebook.questions.map((question) => question.id)).toEqual([
      "trainsDL",
      "multipleRuns",
      "runCount",
      "varianceReported",
      "seedsReported",
      "networks",
      "note",
    ]);
    expect(codebook.questions.find((question) => question.id === "networks")?.options?.map((option) => option.value)).toEqual([
      "lenet",
      "resnet",
      "wideresnet",
      "other",
    ]);
  });

  it("gives every option of every choice question a keyboard shortcut, unique within the question", () => {
    for (const question of codebook.questions) {
      if (!question.options) continue;
      const keys = optionShortcuts(question).map((shortcut) => shortcut.key);
      expect(keys).toHaveLength(question.options.length);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(optionShortcuts(codebook.questions[0]!)).toEqual([
      { key: "y", value: "yes", label: "Yes" },
      { key: "n", value: "no", label: "No" },
      { key: "u", value: "unsure", label: "Unsure" },
    ]);
  });

  it("asks 'multiple identical runs?' only when 'trains DL?' is yes, and run details only after yes", () => {
    expect(isQuestionAsked(codebook, "multipleRuns", {})).toBe(false);
    expect(isQuestionAsked(codebook, "multipleRuns", { trainsDL: "no" })).toBe(false);
    expect(isQuestionAsked(codebook, "multipleRuns", { trainsDL: "yes" })).toBe(true);
    // A stale child answer must not make a grandchild appear once the parent turns "no".
    expect(isQuestionAsked(codebook, "runCount", { trainsDL: "no", multipleRuns: "yes" })).toBe(false);
    expect(askedQuestions(codebook, { trainsDL: "yes", multipleRuns: "no" }).map((question) => question.id)).toEqual([
      "trainsDL",
      "multipleRuns",
      "seedsReported",
      "networks",
      "note",
    ]);
  });
});

describe("validateCodingAnswers", () => {
  const codebook = loadReferenceCodebook();

  it("accepts a complete coding and normalizes multiple choice to codebook order", () => {
    const result = validateCodingAnswers(codebook, {
      trainsDL: "yes",
      multipleRuns: "yes",
      runCount: "5",
      varianceReported: ["min-max", "sd"],
      seedsReported: "no",
      networks: ["resnet"],
    });
    expect(result.errors).toEqual({});
    expect(result.isComplete).toBe(true);
    expect(result.answers).toEqual({
      trainsDL: "yes",
      multipleRuns: "yes",
      runCount: 5,
      varianceReported: ["sd", "min-max"],
      seedsReported: "no",
      networks: ["resnet"],
    });
  });

  it("drops answers to questions that are no longer asked and reports missing required ones", () => {
    const result = validateCodingAnswers(codebook, { trainsDL: "no", multipleRuns: "yes", runCount: 3 });
    expect(result.answers).toEqual({ trainsDL: "no" });
    expect(result.isComplete).toBe(true);
    const partial = validateCodingAnswers(codebook, { trainsDL: "yes" });
    expect(partial.missing).toEqual(["multipleRuns", "seedsReported", "networks"]);
    expect(partial.isComplete).toBe(false);
  });

  it("rejects unknown options, unknown questions, wrong types and out-of-range numbers", () => {
    const result = validateCodingAnswers(codebook, {
      trainsDL: "yes",
      multipleRuns: "yes",
      runCount: 1.5,
      varianceReported: ["stddev"],
      seedsReported: true,
      networks: "resnet",
      colour: "red",
    });
    expect(Object.keys(result.errors).sort()).toEqual(["colour", "networks", "runCount", "seedsReported", "varianceReported"]);
    expect(result.errors.runCount).toBe("enter a whole number");
    expect(validateCodingAnswers(codebook, { trainsDL: "yes", multipleRuns: "yes", runCount: 1 }).errors.runCount).toBe("at least 2");
    expect(validateCodingAnswers(codebook, { trainsDL: "maybe" }).errors.trainsDL).toMatch(/choose one of yes, no, unsure/);
  });
});

describe("parseCodebook rejects inconsistent codebooks with a location", () => {
  it("reports conditions on later or unknown questions, unknown options and repeated shortcuts", () => {
    const text = [
      "id: broken",
      "version: 1",
      "title: Broken",
      "questions:",
      "  - id: first",
      "    type: yes-no-unsure",
      "    text: First?",
      "    askIf: [{ question: second, anyOf: [yes] }]",
      "  - id: second",
      "    type: single-choice",
      "    text: Second?",
      "    options:",
      "      - { value: a, label: A, shortcut: a }",
      "      - { value: b, label: B, shortcut: a }",
      "    askIf: [{ question: first, anyOf: [perhaps] }]",
    ].join("\n");
    const result = parseCodebook(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((error) => `${error.line}: ${error.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^8: "second" is not an earlier question/),
      expect.stringMatching(/^14: shortcut "a" repeats/),
      expect.stringMatching(/^15: "first" has no option "perhaps"/),
    ]);
  });

  it("requires options on choice questions and none on numbers", () => {
    const result = parseCodebook("id: x\nversion: 1\ntitle: X\nquestions:\n  - { id: a, type: single-choice, text: A? }\n  - { id: b, type: number, text: B?, options: [{ value: v, label: V }] }\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.message)).toEqual([
      "a single-choice question needs at least two options",
      "a number question has no options",
    ]);
  });
});

describe("answerKey", () => {
  it("compares multiple-choice answers as sets", () => {
    expect(answerKey(["resnet", "lenet"])).toBe(answerKey(["lenet", "resnet"]));
    expect(answerKey(5)).toBe("5");
    expect(answerKey(undefined)).toBeNull();
  });
});
