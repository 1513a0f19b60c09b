import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import { neutralizeFormula, restoreNeutralizedFormula } from "@/lib/io/csv-formula";
import { importResponses } from "@/lib/io/response-import";
import { codebookRows, codebookToCsv, exportHeader, responsesToCsv, responsesToRows } from "@/lib/survey/export";
import { drawPresentationOrder } from "@/lib/survey/randomize";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";
import { completeMiniAnswers, loadMini, loadPham, readFixture } from "./load-questionnaire";

const mini = loadMini();
const pham = loadPham();

const miniResponses: SurveyResponseRecord[] = [
  {
    responseId: "a1",
    status: "complete",
    progress: 100,
    startedAt: "2026-11-01T10:00:00.000Z",
    submittedAt: "2026-11-01T10:05:00.000Z",
    presentationOrder: drawPresentationOrder(mini, 7),
    answers: { ...completeMiniAnswers({ otherRole: "=1+1", why: "-GPU kernels" }), story: 'Line one\nline "two", with comma' },
  },
  { responseId: "a2", status: "partial", answers: { role: { choice: "student" }, years: 0 } },
];

describe("neutralizeFormula", () => {
  it("prefixes cells that spreadsheets would run as formulas, but not plain numbers", () => {
    expect(["=SUM(A1)", "+cmd", "-x", "@import", "\tx", "-3", "+1.5", "-2e-3", "plain", ""].map(neutralizeFormula)).toEqual([
      "'=SUM(A1)",
      "'+cmd",
      "'-x",
      "'@import",
      "'\tx",
      "-3",
      "+1.5",
      "-2e-3",
      "plain",
      "",
    ]);
    expect(restoreNeutralizedFormula("'=SUM(A1)")).toBe("=SUM(A1)");
    expect(restoreNeutralizedFormula("'quoted")).toBe("'quoted");
  });
});

describe("responsesToRows", () => {
  it("writes one column per question, per option for multiple choice and per matrix row", () => {
    const [header, first, second] = responsesToRows(mini, miniResponses);
    expect(header).toEqual(exportHeader(mini));
    const row = Object.fromEntries((header ?? []).map((name, index) => [name, first?.[index]]));
    expect(row).toMatchObject({
      response_id: "a1",
      status: "complete",
      role: "6",
      role_other_text: "'=1+1",
      tools_tf: "0",
      tools_torch: "1",
      tools_other: "1",
      tools_other_text: "Julia, Flux",
      years: "2.5",
      deterministic: "2",
      spread: "2",
      agree: "2",
      grid_init: "3",
      grid_order: "",
      grid_gpu: "2",
      why: "'-GPU kernels",
    });
    expect(JSON.parse(row.presentation_order ?? "")).toEqual(miniResponses[0]?.presentationOrder);
    const partial = Object.fromEntries((header ?? []).map((name, index) => [name, second?.[index]]));
    // Unanswered multiple choice stays empty rather than 0, so "not asked" differs from "none chosen".
    expect(partial).toMatchObject({ role: "1", years: "0", tools_tf: "", deterministic: "", grid_init: "" });
  });

  it("uses custom value codes and can write labels instead", () => {
    const [header, first] = responsesToRows(mini, miniResponses, { valueFormat: "labels", includePresentationOrder: false });
    expect(header).not.toContain("presentation_order");
    const row = Object.fromEntries((header ?? []).map((name, index) => [name, first?.[index]]));
    expect(row).toMatchObject({ role: "Other, please specify", deterministic: "No", spread: "(0%, 1%]", grid_init: "Always" });
    const codebook = codebookRows(mini).filter((entry) => entry.column === "tools_nothing");
    expect(codebook.map((entry) => entry.value)).toEqual(["1", "0"]);
  });
});

describe("export and import round trip", () => {
  it("re-imports its own CSV (codes and labels) into the same responses", () => {
    for (const valueFormat of ["codes", "labels"] as const) {
      const csv = responsesToCsv(mini, miniResponses, { valueFormat, bom: true });
      const result = importResponses(csv, mini);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.format).toBe("plain");
      expect(result.responses.map(({ sourceRow: _row, ...response }) => response)).toEqual(miniResponses);
    }
  });

  it("carries a Qualtrics import through export and re-import unchanged", () => {
    const imported = importResponses(readFixture("qualtrics-pham2020-choice-text.csv"), pham);
    if (!imported.ok) throw new Error("fixture import failed");
    const records = imported.responses.map(({ sourceRow: _row, ...response }) => response);
    const again = importResponses(responsesToCsv(pham, records), pham);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.responses.map(({ sourceRow: _row, ...response }) => response)).toEqual(records);
  });
});

describe("codebook", () => {
  it("lists every value code of every column", () => {
    const q21 = codebookRows(pham).filter((row) => row.column === "Q21");
    expect(q21.map((row) => `${row.value}=${row.label}`)).toEqual([
      "1=No variance",
      "2=(0%, 1%]",
      "3=(1%, 2%]",
      "4=(2%, 5%]",
      "5=(5%, 10%]",
      "6=(10%, 20%]",
      "7=Over 20%",
      "8=Other, please specify",
    ]);
    const years = codebookRows(pham).find((row) => row.column === "work_years");
    expect(years?.label).toBe("number in years, 0 to 60");
    const likert = codebookRows(pham).filter((row) => row.column === "repeat_runs").map((row) => row.label);
    expect(likert).toEqual(["Never", "Rarely", "Sometimes", "Often", "Always"]);
  });

  it("covers every export column and serialises as CSV", () => {
    const columns = new Set(codebookRows(pham).map((row) => row.column));
    expect(exportHeader(pham).filter((column) => !columns.has(column))).toEqual([]);
    const table = Papa.parse<string[]>(codebookToCsv(pham), { skipEmptyLines: true }).data;
    expect(table[0]).toEqual(["column", "question_id", "question_type", "question_text", "value", "label"]);
    expect(table.length).toBe(codebookRows(pham).length + 1);
  });
});
