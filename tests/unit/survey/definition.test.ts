import { describe, expect, it } from "vitest";
import { parseDefinitionFile } from "@/lib/io/definition-file";
import { columnNamesOf, findQuestion, optionCodes, questionnaireDefinitionSchema } from "@/lib/survey/definition";
import { loadMini, loadPham } from "./load-questionnaire";

/** A valid minimal questionnaire as YAML lines; tests splice problems into it. */
const base = (sections: string) =>
  [
    "id: t",
    "title: T",
    "version: 1",
    "language: en",
    "welcome: { text: Hi }",
    "consent: { text: Ok?, agreeLabel: Yes, declineLabel: No }",
    "definitions:",
    "  - { id: term1, term: Term, text: Meaning }",
    "sections:",
    sections,
  ].join("\n");

const parse = (text: string) => parseDefinitionFile(text, questionnaireDefinitionSchema);

const errorsOf = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error("expected the definition to be rejected");
  return result.errors;
};

describe("questionnaireDefinitionSchema", () => {
  it("accepts the reference instrument and applies defaults", () => {
    const pham = loadPham();
    expect(pham.sections.map((section) => section.id)).toEqual(["background", "default_runs", "fixed_seed", "practice", "awareness"]);
    const q21 = findQuestion(pham, "Q21");
    expect(q21?.type).toBe("binned_estimate");
    expect(q21?.showIf).toEqual({ in: { question: "Q20", values: ["yes", "maybe"] } });
    expect(q21?.note).toMatch(/Figure 7/);
    expect(findQuestion(pham, "comments")?.required).toBe(false);
  });

  it("keeps the paper's Q21 answer bins in order with codes 1..8 (Other last)", () => {
    const q21 = findQuestion(loadPham(), "Q21");
    if (q21?.type !== "binned_estimate") throw new Error("Q21 must be a binned estimate");
    expect(optionCodes(q21).map((option) => `${option.code}:${option.label}`)).toEqual([
      "1:No variance",
      "2:(0%, 1%]",
      "3:(1%, 2%]",
      "4:(2%, 5%]",
      "5:(5%, 10%]",
      "6:(10%, 20%]",
      "7:Over 20%",
      "8:Other, please specify",
    ]);
  });

  it("marks every text whose original wording is unknown", () => {
    const pham = loadPham();
    const questions = pham.sections.flatMap((section) => section.questions);
    expect(questions.every((question) => typeof question.originalWording === "boolean")).toBe(true);
    expect(questions.filter((question) => question.originalWording).map((question) => question.id)).toEqual(["Q20", "Q21", "Q26"]);
  });

  it("reports a duplicate question id at the second occurrence", () => {
    const errors = errorsOf(
      base(
        [
          "  - id: s1",
          "    title: S",
          "    questions:",
          "      - { id: a, type: short_text, text: A }",
          "      - { id: a, type: long_text, text: B }",
        ].join("\n"),
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ line: 14, path: "sections[0].questions[1].id", message: expect.stringMatching(/Duplicate question id "a"/) })]);
  });

  it("rejects conditions on unknown questions, later questions and unknown options, each at its line", () => {
    const errors = errorsOf(
      base(
        [
          "  - id: s1",
          "    title: S",
          "    questions:",
          "      - id: a",
          "        type: single_choice",
          "        text: A",
          "        options: [{ id: x, label: X }, { id: y, label: Y }]",
          "        showIf: { answered: b }",
          "      - id: b",
          "        type: short_text",
          "        text: B",
          "        showIf: { equals: { question: a, value: z } }",
          "      - id: c",
          "        type: short_text",
          "        text: C",
          "        showIf: { any: [{ answered: nope }, { not: { answered: a } }] }",
        ].join("\n"),
      ),
    );
    expect(errors.map((error) => [error.line, error.path])).toEqual([
      [17, "sections[0].questions[0].showIf.answered"],
      [21, "sections[0].questions[1].showIf.equals.value"],
      [25, "sections[0].questions[2].showIf.any[0].answered"],
    ]);
    expect(errors[0]?.message).toMatch(/earlier questions/);
    expect(errors[1]?.message).toMatch(/no option "z"/);
    expect(errors[2]?.message).toMatch(/Unknown question "nope"/);
  });

  it("forbids same-section conditions when the section shuffles its questions", () => {
    const errors = errorsOf(
      base(
        [
          "  - id: s1",
          "    title: S",
          "    randomizeQuestions: true",
          "    questions:",
          "      - { id: a, type: numeric, text: A }",
          "      - { id: b, type: numeric, text: B, showIf: { equals: { question: a, value: 3 } } }",
        ].join("\n"),
      ),
    );
    expect(errors[0]?.message).toMatch(/shuffles its questions/);
  });

  it("checks section conditions, matrix rows, likert values and definition references", () => {
    const errors = errorsOf(
      base(
        [
          "  - id: s1",
          "    title: S",
          "    definitions: [term1, term2]",
          "    questions:",
          "      - id: m",
          "        type: matrix",
          "        text: M",
          "        rows: [{ id: r1, label: R1 }]",
          "        columns: [{ id: c1, label: C1 }, { id: c2, label: C2 }]",
          "      - { id: l, type: likert, text: L, points: 5, labels: { '7': Too far } }",
          "  - id: s2",
          "    title: S2",
          "    showIf: { all: [{ equals: { question: m, value: c1 } }, { equals: { question: l, value: 6 } }, { answered: s2q }] }",
          "    questions:",
          "      - { id: s2q, type: short_text, text: Q }",
        ].join("\n"),
      ),
    );
    const messages = errors.map((error) => `${error.path}: ${error.message}`);
    expect(messages).toEqual([
      'sections[0].definitions[1]: Unknown definition "term2".',
      'sections[0].questions[1].labels["7"]: Label for point 7 is outside the scale 1–5.',
      'sections[1].showIf.all[0].equals: Question "m" is a matrix: say which row with "row".',
      'sections[1].showIf.all[1].equals.value: Question "l" is a 5-point scale: use a whole number from 1 to 5.',
      'sections[1].showIf.all[2].answered: A section can only depend on questions of earlier sections; "s2q" is not earlier.',
    ]);
  });

  it("checks selection limits, reserved ids, codes and export column clashes", () => {
    const errors = errorsOf(
      base(
        [
          "  - id: s1",
          "    title: S",
          "    questions:",
          "      - id: q",
          "        type: multiple_choice",
          "        text: Q",
          "        minSelections: 3",
          "        maxSelections: 2",
          "        options: [{ id: a, label: A, code: 1 }, { id: other, label: B, code: 1 }]",
          "      - { id: q_a, type: short_text, text: Clash }",
        ].join("\n"),
      ),
    );
    const messages = errors.map((error) => error.message).join("\n");
    expect(messages).toMatch(/minSelections \(3\) is larger than maxSelections \(2\)/);
    expect(messages).toMatch(/reserved for "Other/);
    expect(messages).toMatch(/Duplicate value code 1/);
    expect(messages).toMatch(/Export column "q_a" of question "q_a" clashes with question "q"/);
  });

  it("rejects unknown fields and wrong question types with a line", () => {
    const errors = errorsOf(base(["  - id: s1", "    title: S", "    questions:", "      - { id: a, type: slider, text: A }"].join("\n")));
    expect(errors[0]).toMatchObject({ line: 13, path: "sections[0].questions[0].type" });
    const unknown = errorsOf(base(["  - id: s1", "    title: S", "    colour: red", "    questions:", "      - { id: a, type: short_text, text: A }"].join("\n")));
    expect(unknown[0]).toMatchObject({ line: 12, path: "sections[0].colour", message: 'Unknown field "colour".' });
  });

  it("rejects ids that cannot be column names", () => {
    const errors = errorsOf(base(["  - id: s1", "    title: S", "    questions:", "      - { id: 1st-question, type: short_text, text: A }"].join("\n")));
    expect(errors[0]?.path).toBe("sections[0].questions[0].id");
  });
});

describe("columnNamesOf", () => {
  it("names one column per option for multiple choice and one per row for matrix", () => {
    const mini = loadMini();
    const tools = findQuestion(mini, "tools");
    const grid = findQuestion(mini, "grid");
    const role = findQuestion(mini, "role");
    if (!tools || !grid || !role) throw new Error("fixture changed");
    expect(columnNamesOf(tools)).toEqual(["tools_tf", "tools_torch", "tools_jax", "tools_mx", "tools_nothing", "tools_other", "tools_other_text"]);
    expect(columnNamesOf(grid)).toEqual(["grid_init", "grid_order", "grid_gpu"]);
    expect(columnNamesOf(role)).toEqual(["role", "role_other_text"]);
  });
});
