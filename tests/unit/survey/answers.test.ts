import { describe, expect, it } from "vitest";
import { answersToFormFields, checkAnswer, formDataToFields, readPageForm, validatePageAnswers } from "@/lib/survey/answers";
import { findQuestion } from "@/lib/survey/definition";
import type { Question } from "@/lib/survey/definition";
import { loadMini } from "./load-questionnaire";

const mini = loadMini();
const question = (id: string): Question => {
  const found = findQuestion(mini, id);
  if (!found) throw new Error(`fixture lacks ${id}`);
  return found;
};
const section = (id: string) => {
  const found = mini.sections.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`fixture lacks ${id}`);
  return found;
};
const message = (id: string, value: unknown) => {
  const check = checkAnswer(question(id), value);
  return check.ok ? null : check.message;
};

describe("checkAnswer", () => {
  it("asks for required answers in plain words", () => {
    expect(message("role", undefined)).toBe("Please answer this question.");
    expect(message("story", undefined)).toBeNull();
  });

  it("checks numeric ranges with the unit", () => {
    expect(message("years", 51)).toBe("Please enter a number from 0 years to 50 years.");
    expect(message("years", -1)).toBe("Please enter a number from 0 years to 50 years.");
    expect(message("years", 12.5)).toBeNull();
    expect(message("years", "12")).toBe("Please enter a number, such as 3 or 2.5.");
  });

  it("checks the number of selections and exclusive options", () => {
    expect(message("tools", { choices: ["tf", "torch", "jax", "mx"] })).toBe("Please choose no more than 3 options (you chose 4).");
    expect(message("tools", { choices: ["nothing", "tf"] })).toBe('"None" cannot be combined with other options.');
    expect(message("tools", { choices: [] })).toBeNull();
    expect(checkAnswer(question("tools"), { choices: ["jax", "tf", "jax"] })).toEqual({ ok: true, value: { choices: ["tf", "jax"] } });
  });

  it("requires the Other text when Other is chosen and drops it otherwise", () => {
    expect(message("role", { choice: "other", otherText: "  " })).toBe('Please describe your "Other" answer in the text box.');
    expect(checkAnswer(question("role"), { choice: "other", otherText: " Founder " })).toEqual({ ok: true, value: { choice: "other", otherText: "Founder" } });
    expect(checkAnswer(question("role"), { choice: "student", otherText: "left over" })).toEqual({ ok: true, value: { choice: "student" } });
    expect(message("tools", { choices: ["other"] })).toBe('Please describe your "Other" answer in the text box.');
  });

  it("rejects options that are not offered (forged or stale answers)", () => {
    expect(message("role", { choice: "ceo" })).toBe("Please choose one of the listed options.");
    expect(message("deterministic", { choice: "other", otherText: "x" })).toBe("Please choose one of the listed options.");
    expect(message("grid", { init: "often" })).toBe("Please choose one of the listed options.");
  });

  it("checks likert points, text length and lines", () => {
    expect(message("agree", 6)).toBe("Please choose a point on the scale from 1 to 5.");
    expect(message("why", "x".repeat(41))).toBe("Please shorten your answer to at most 40 characters (it has 41).");
    expect(message("why", "two\nlines")).toBe("Please keep this answer on one line.");
    expect(checkAnswer(question("story"), "  ")).toEqual({ ok: true, value: undefined });
  });
});

describe("validatePageAnswers", () => {
  it("validates only visible questions, including ones shown by an answer on the same page", () => {
    const result = validatePageAnswers(mini, "s2", { deterministic: { choice: "no" }, agree: 9 });
    expect(result).toEqual({
      ok: false,
      answers: { deterministic: { choice: "no" } },
      fieldErrors: { spread: "Please answer this question.", agree: "Please choose a point on the scale from 1 to 5." },
    });
    expect(validatePageAnswers(mini, "s2", { deterministic: { choice: "yes" }, spread: { choice: "bogus" } })).toEqual({
      ok: true,
      answers: { deterministic: { choice: "yes" } },
    });
  });
});

describe("form fields", () => {
  it("reads every question type from FormData-like fields", () => {
    const s2 = readPageForm(section("s2"), {
      "q.deterministic": "no",
      "q.spread": "other",
      "q.spread.other": "  depends  ",
      "q.agree": "4",
      "q.grid.init": "never",
      "q.grid.gpu": "always",
      "q.grid.order": "",
      "q.role": "student",
    });
    expect(s2.answers).toEqual({
      deterministic: { choice: "no" },
      spread: { choice: "other", otherText: "depends" },
      agree: 4,
      grid: { init: "never", gpu: "always" },
    });
    expect(s2.fieldErrors).toEqual({});
    // Another page's field is ignored so a forged field cannot write it.
    expect(s2.fields["q.role"]).toBeUndefined();
  });

  it("reports conversion problems and keeps what was typed", () => {
    const s1 = readPageForm(section("s1"), { "q.years": "1,5", "q.tools": ["tf", "other"], "q.tools.other": "Julia" });
    expect(s1.fieldErrors).toEqual({ years: "Please use a dot as the decimal separator, e.g. 2.5." });
    expect(s1.fields["q.years"]).toBe("1,5");
    expect(s1.answers).toEqual({ tools: { choices: ["tf", "other"], otherText: "Julia" } });
    expect(readPageForm(section("s1"), { "q.years": "3 years" }).fieldErrors.years).toBe("Please enter a number only (in years), such as 3 or 2.5.");
    expect(readPageForm(section("s1"), { "q.years": "1,200" }).fieldErrors.years).toMatch(/thousands separators/);
  });

  it("normalises textarea line breaks", () => {
    expect(readPageForm(section("s3"), { "q.story": "a\r\nb\r\n" }).answers).toEqual({ story: "a\nb" });
  });

  it("round-trips stored answers through form fields", () => {
    const stored = { role: { choice: "other", otherText: "Founder" }, tools: { choices: ["tf", "jax"] }, years: 7.5 };
    const fields = answersToFormFields(section("s1"), stored);
    expect(fields).toEqual({ "q.role": "other", "q.role.other": "Founder", "q.tools": ["tf", "jax"], "q.tools.other": "", "q.years": "7.5" });
    expect(readPageForm(section("s1"), fields).answers).toEqual(stored);
    const grid = answersToFormFields(section("s2"), { grid: { order: "sometimes" } });
    expect(grid["q.grid.order"]).toBe("sometimes");
    expect(grid["q.grid.init"]).toBe("");
  });

  it("collects repeated FormData names into arrays and ignores files", () => {
    const entries: Array<[string, unknown]> = [["q.tools", "tf"], ["q.tools", "jax"], ["q.years", "3"], ["upload", { size: 1 }]];
    expect(formDataToFields(entries)).toEqual({ "q.tools": ["tf", "jax"], "q.years": "3" });
  });
});
