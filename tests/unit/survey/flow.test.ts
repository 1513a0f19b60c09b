import { describe, expect, it } from "vitest";
import { finalizeAnswers, firstPage, isResponseComplete, nextPage, previousPage, progressOf, resumePage, submitPage, visiblePages } from "@/lib/survey/flow";
import { evaluateCondition, indexQuestions } from "@/lib/survey/conditions";
import type { Answers } from "@/lib/survey/answer-types";
import { loadMini, loadPham } from "./load-questionnaire";

const mini = loadMini();
const pham = loadPham();

const s1: Answers = { role: { choice: "engineer" }, years: 4 };

describe("evaluateCondition", () => {
  const questions = indexQuestions(mini);
  it("implements equals/in/not/all/any/answered on each answer shape", () => {
    const answers: Answers = { tools: { choices: ["tf", "jax"] }, grid: { init: "never" }, agree: 4, why: " luck " };
    expect(evaluateCondition({ equals: { question: "tools", value: "jax" } }, answers, questions)).toBe(true);
    expect(evaluateCondition({ equals: { question: "grid", row: "init", value: "never" } }, answers, questions)).toBe(true);
    expect(evaluateCondition({ equals: { question: "grid", row: "gpu", value: "never" } }, answers, questions)).toBe(false);
    expect(evaluateCondition({ in: { question: "agree", values: [1, 4] } }, answers, questions)).toBe(true);
    expect(evaluateCondition({ equals: { question: "why", value: "luck" } }, answers, questions)).toBe(true);
    expect(evaluateCondition({ answered: "role" }, answers, questions)).toBe(false);
    expect(evaluateCondition({ not: { equals: { question: "role", value: "student" } } }, answers, questions)).toBe(true);
    expect(evaluateCondition({ all: [{ answered: "agree" }, { answered: "role" }] }, answers, questions)).toBe(false);
    expect(evaluateCondition({ any: [{ answered: "agree" }, { answered: "role" }] }, answers, questions)).toBe(true);
  });
});

describe("flow", () => {
  it("shows the Q20 follow-ups only after Yes or Maybe, as the definition's data says", () => {
    const page = (q20: string) => visiblePages(pham, { Q20: { choice: q20 } }).find((p) => p.section.id === "default_runs");
    expect(page("yes")?.questions.map((q) => q.id)).toEqual(["Q20", "Q21", "Q21_class", "time_default"]);
    expect(page("maybe")?.questions.map((q) => q.id)).toContain("Q21");
    expect(page("no")?.questions.map((q) => q.id)).toEqual(["Q20", "time_default"]);
  });

  it("shows the page's definitions: the section's own, then those of visible questions, once each", () => {
    const page = visiblePages(pham, {}).find((p) => p.section.id === "default_runs");
    expect(page?.definitions.map((term) => term.id)).toEqual(["determinism", "identical_runs"]);
  });

  it("skips a section whose condition is false and moves back and forth over shown pages", () => {
    const yes: Answers = { ...s1, deterministic: { choice: "yes" } };
    expect(firstPage(mini, {})?.section.id).toBe("s1");
    expect(nextPage(mini, yes, "s1")?.section.id).toBe("s2");
    expect(nextPage(mini, yes, "s2")).toBeNull();
    const no: Answers = { ...s1, deterministic: { choice: "no" } };
    expect(nextPage(mini, no, "s2")?.section.id).toBe("s3");
    expect(previousPage(mini, no, "s3")?.section.id).toBe("s2");
    expect(previousPage(mini, no, "s1")).toBeNull();
    // From a page that just became hidden, "Previous" still finds the last shown page before it.
    expect(previousPage(mini, yes, "s3")?.section.id).toBe("s2");
  });

  it("throws on an unknown section id, a programming error", () => {
    expect(() => nextPage(mini, {}, "nope")).toThrow(/Unknown section "nope"/);
  });

  it("measures progress against the pages that will be shown", () => {
    expect(progressOf(mini, { answers: {} })).toEqual({ answeredPages: 0, totalPages: 3, fraction: 0 });
    const afterTwo: Answers = { ...s1, deterministic: { choice: "yes" } };
    expect(progressOf(mini, { answers: afterTwo })).toEqual({ answeredPages: 2, totalPages: 2, fraction: 1 });
    expect(isResponseComplete(mini, { answers: afterTwo })).toBe(true);
    const saysNo: Answers = { ...s1, deterministic: { choice: "no" }, spread: { choice: "small" } };
    expect(progressOf(mini, { answers: saysNo })).toMatchObject({ answeredPages: 2, totalPages: 3 });
    expect(resumePage(mini, { answers: saysNo })?.section.id).toBe("s3");
  });

  it("counts a page with missing required answers as not done even if submitted", () => {
    const partial: Answers = { role: { choice: "engineer" } };
    expect(progressOf(mini, { answers: partial, submittedSectionIds: ["s1"] }).answeredPages).toBe(0);
    expect(resumePage(mini, { answers: partial })?.section.id).toBe("s1");
  });

  it("counts an all-optional page left blank as done once submitted", () => {
    const answers: Answers = { ...s1, deterministic: { choice: "no" }, spread: { choice: "none" }, why: "GPUs" };
    expect(isResponseComplete(mini, { answers })).toBe(true);
    const phamPractice = visiblePages(pham, {}).find((page) => page.section.id === "awareness");
    expect(phamPractice).toBeDefined();
    const blankOptional = { answers: { aware_impl: { choice: "yes" } }, submittedSectionIds: ["awareness"] };
    expect(progressOf(pham, blankOptional).answeredPages).toBe(1);
  });

  it("drops answers to questions that became hidden on final submission", () => {
    const draft: Answers = { ...s1, deterministic: { choice: "yes" }, spread: { choice: "large" }, why: "was answered before switching to yes" };
    const result = finalizeAnswers(mini, draft);
    expect(result).toEqual({ ok: true, answers: { ...s1, deterministic: { choice: "yes" } }, droppedQuestionIds: ["spread", "why"] });
  });

  it("hidden answers do not keep later questions visible", () => {
    // deterministic=yes hides spread; a stale spread answer must not count as "answered" for anyone.
    const stale: Answers = { ...s1, deterministic: { choice: "yes" }, spread: { choice: "other", otherText: "x" } };
    expect(visiblePages(mini, stale).map((page) => page.section.id)).toEqual(["s1", "s2"]);
  });

  it("refuses final submission with the first incomplete page and its messages", () => {
    const result = finalizeAnswers(mini, { ...s1, deterministic: { choice: "no" } });
    expect(result).toEqual({ ok: false, firstIncompleteSectionId: "s2", fieldErrors: { spread: "Please answer this question." } });
  });
});

describe("submitPage", () => {
  it("merges a valid page into the draft and says where to go next", () => {
    const result = submitPage(mini, "s2", s1, { "q.deterministic": "no", "q.spread": "small", "q.agree": "3" });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect(result.answers).toEqual({ ...s1, deterministic: { choice: "no" }, spread: { choice: "small" }, agree: 3 });
    expect(result.next?.section.id).toBe("s3");
  });

  it("clears an answer whose field was emptied and returns typed fields with messages on error", () => {
    const draft: Answers = { ...s1, deterministic: { choice: "no" }, agree: 5 };
    const result = submitPage(mini, "s2", draft, { "q.deterministic": "no", "q.agree": "" , "q.grid.init": "rarely" });
    expect(result).toEqual({
      ok: false,
      fieldErrors: { spread: "Please answer this question.", grid: "Please choose one of the listed options." },
      fields: expect.objectContaining({ "q.deterministic": "no", "q.agree": "", "q.grid.init": "rarely" }),
    });
    const cleared = submitPage(mini, "s2", draft, { "q.deterministic": "yes", "q.agree": "" });
    if (!cleared.ok) throw new Error("expected success");
    expect(cleared.answers.agree).toBeUndefined();
    expect(cleared.next).toBeNull();
  });
});

describe("the reference instrument's skip rule is data", () => {
  it("switches to the other reading of Figure 7 by editing showIf only", () => {
    const alternative = structuredClone(pham);
    for (const section of alternative.sections) {
      for (const question of section.questions) {
        if (question.id === "Q21" || question.id === "Q21_class") question.showIf = { in: { question: "Q20", values: ["maybe", "no"] } };
      }
    }
    const shown = (answer: string) => visiblePages(alternative, { Q20: { choice: answer } }).flatMap((page) => page.questions.map((q) => q.id));
    expect(shown("no")).toContain("Q21");
    expect(shown("yes")).not.toContain("Q21");
  });
});
