import { describe, expect, it } from "vitest";
import { questionnaireFromExportHeaders } from "@/lib/io/qualtrics-headers";
import { questionnaireFromQsf } from "@/lib/io/qualtrics-qsf";
import { localTimeToUtc, timeZoneOfImportIdCell } from "@/lib/io/qualtrics-time-zone";
import { importResponses } from "@/lib/io/response-import";
import { listQuestions, questionnaireDefinitionSchema, type Question } from "@/lib/survey/definition";
import { makeExport, makeQsf, standardRows } from "./qualtrics-fixtures";

const fromQsf = () => {
  const converted = questionnaireFromQsf(makeQsf());
  if (!converted.ok) throw new Error(converted.error);
  const parsed = questionnaireDefinitionSchema.safeParse(converted.definition);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return { definition: parsed.data, notes: converted.notes };
};
const byId = (questions: Question[], id: string) => questions.find((question) => question.id === id);

describe("questionnaire from a .qsf", () => {
  it("carries over blocks, pages, choice, matrix, text and number questions", () => {
    const { definition } = fromQsf();
    expect(definition.id).toBe("training_variance_practice");
    expect(definition.language).toBe("en");
    expect(definition.sections.map((section) => section.title)).toEqual(["About you", "About you (page 2)", "Practice"]);
    const questions = listQuestions(definition);
    expect(questions.map((question) => [question.id, question.type])).toEqual([
      ["Q1", "single_choice"],
      ["Q2", "multiple_choice"],
      ["Q3", "matrix"],
      ["Q4", "long_text"],
      ["Q5", "numeric"],
    ]);
    const q1 = byId(questions, "Q1");
    expect(q1).toMatchObject({ text: "What is your role?", required: true, other: { label: "Other", code: 4 } });
    expect(q1?.type === "single_choice" && q1.options.map((option) => [option.id, option.label, option.code])).toEqual([
      ["student", "Student", 1],
      ["engineer", "Engineer", 2],
      ["researcher", "Researcher", 3],
    ]);
    const q2 = byId(questions, "Q2");
    expect(q2?.type === "multiple_choice" && q2.options.map((option) => [option.label, option.code, option.exclusive])).toEqual([
      ["TensorFlow", 1, false],
      ["PyTorch", 2, false],
      ["JAX", 3, false],
      ["None of these", 5, true],
    ]);
    expect(q2).toMatchObject({ randomizeOptions: true, required: false });
    const q3 = byId(questions, "Q3");
    expect(q3?.type === "matrix" && [q3.rows.map((row) => row.label), q3.columns.map((column) => `${column.code}=${column.label}`)]).toEqual([
      ["Fix random seeds", "Repeat identical runs"],
      ["1=Never", "2=Sometimes", "3=Always"],
    ]);
    expect(byId(questions, "Q5")).toMatchObject({ min: 0, max: 60 });
  });

  it("turns display logic into a show rule (And binds tighter than Or)", () => {
    const { definition } = fromQsf();
    expect(byId(listQuestions(definition), "Q3")?.showIf).toEqual({ any: [{ equals: { question: "Q2", value: "pytorch" } }, { equals: { question: "Q1", value: "researcher" } }] });
  });

  it("says what could not be carried over", () => {
    const { notes } = fromQsf();
    const text = notes.map((note) => `${note.where}: ${note.message}`).join("\n");
    expect(text).toMatch(/Q6 \(QID6\): slider questions are not supported/);
    expect(text).toMatch(/Q7 \(QID7\): descriptive text/);
    expect(text).toMatch(/embedded data/);
  });

  it("refuses files that are not survey files, clearly", () => {
    expect(questionnaireFromQsf("not json")).toEqual({ ok: false, error: expect.stringContaining("not valid JSON") });
    expect(questionnaireFromQsf("{}")).toEqual({ ok: false, error: expect.stringContaining("no SurveyEntry") });
  });

  it("reads the export of the same survey without any hand mapping", () => {
    const { definition } = fromQsf();
    const result = importResponses(makeExport(standardRows), definition, { format: "qualtrics" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.summary).toMatchObject({ complete: 3, partial: 2, excludedTestResponses: 1 });
    const researcher = result.responses.find((response) => response.responseId === "R_2");
    expect(researcher?.answers).toEqual({
      Q1: { choice: "researcher" },
      Q2: { choices: ["pytorch", "jax"] },
      Q3: { r1: "always", r2: "sometimes" },
      Q4: "Random init",
      Q5: 12,
    });
    expect(result.responses.find((response) => response.responseId === "R_3")?.answers.Q1).toEqual({ choice: "other", otherText: "Student and engineer" });
  });
});

describe("questionnaire from an export's header rows", () => {
  it("guesses ids, texts, types and choices from the values seen", () => {
    const converted = questionnaireFromExportHeaders(makeExport(standardRows), "Practice survey");
    if (!converted.ok) throw new Error(converted.error);
    const parsed = questionnaireDefinitionSchema.safeParse(converted.definition);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    const questions = listQuestions(parsed.data);
    expect(questions.map((question) => [question.id, question.type])).toEqual([
      ["Q1", "single_choice"],
      ["Q2", "multiple_choice"],
      ["Q3", "matrix"],
      ["Q4", "short_text"],
      ["Q5", "numeric"],
    ]);
    expect(byId(questions, "Q1")?.text).toBe("What is your role?");
    const q2 = byId(questions, "Q2");
    expect(q2?.type === "multiple_choice" && q2.options.map((option) => `${option.code}=${option.label}`)).toEqual(["1=TensorFlow", "2=PyTorch", "3=JAX", "5=None of these"]);
    expect(converted.notes.some((note) => note.where === "all questions" && /display logic/.test(note.message))).toBe(true);
    // The guessed questionnaire reads its own export back (hidden-answer rules do not exist in it).
    const result = importResponses(makeExport(standardRows), parsed.data, { format: "qualtrics" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.summary).toMatchObject({ complete: 3, partial: 2, excludedTestResponses: 1 });
  });

  it("refuses a file that is not a Qualtrics export", () => {
    expect(questionnaireFromExportHeaders("a,b\n1,2\n", "x")).toEqual({ ok: false, error: expect.stringContaining("does not look like a Qualtrics export") });
  });
});

describe("time zone of the import-id row", () => {
  it("reads the zone and converts wall-clock times to UTC, summer and winter", () => {
    expect(timeZoneOfImportIdCell('{"ImportId":"startDate","timeZone":"America/Denver"}')).toBe("America/Denver");
    expect(timeZoneOfImportIdCell('{"ImportId":"startDate","timeZone":"Mars/Olympus"}')).toBeUndefined();
    expect(timeZoneOfImportIdCell('{"ImportId":"QID1"}')).toBeUndefined();
    expect(localTimeToUtc("2026-01-15 09:30:00", "America/Denver")).toBe("2026-01-15T16:30:00.000Z");
    expect(localTimeToUtc("2026-07-01 23:50:00", "America/Denver")).toBe("2026-07-02T05:50:00.000Z");
    expect(localTimeToUtc("2026-07-01 23:50:00", "Asia/Kolkata")).toBe("2026-07-01T18:20:00.000Z");
    expect(localTimeToUtc("2026-07-01 23:50:00", undefined)).toBe("2026-07-01T23:50:00.000Z");
    expect(localTimeToUtc("2026-07-01T23:50:00Z", "America/Denver")).toBe("2026-07-01T23:50:00.000Z");
    // The repeated hour in autumn: the first occurrence (still daylight time, -6).
    expect(localTimeToUtc("2026-11-01 01:30:00", "America/Denver")).toBe("2026-11-01T07:30:00.000Z");
    expect(localTimeToUtc("yesterday", "America/Denver")).toBeUndefined();
  });
});
