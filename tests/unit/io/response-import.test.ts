import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import { importResponses, previewResponseImport } from "@/lib/io/response-import";
import type { ResponseImportResult } from "@/lib/io/response-import";
import { loadMini, loadPham, readFixture } from "../survey/load-questionnaire";

const pham = loadPham();
const choiceText = readFixture("qualtrics-pham2020-choice-text.csv");
const numeric = readFixture("qualtrics-pham2020-numeric.csv");

const expectOk = (result: ResponseImportResult) => {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors.slice(0, 5))}`);
  return result;
};
const expectErrors = (result: ResponseImportResult) => {
  if (result.ok) throw new Error("expected the import to be rejected");
  return result.errors;
};

/** Replaces one cell of the fixture (row and column are 1-based as in a spreadsheet) and re-serialises it. */
const withCell = (text: string, row: number, columnName: string, value: string): string => {
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
  const column = rows[0]?.indexOf(columnName) ?? -1;
  const target = rows[row - 1];
  if (column < 0 || !target) throw new Error(`no cell ${row}/${columnName}`);
  target[column] = value;
  return Papa.unparse(rows, { newline: "\r\n" });
};

describe("importResponses: Qualtrics exports", () => {
  it("imports a choice-text export with BOM, CRLF, quoted line breaks and a preview row", () => {
    const result = expectOk(importResponses(choiceText, pham));
    expect(result.format).toBe("qualtrics");
    expect(result.summary).toEqual({ complete: 4, partial: 1, excludedTestResponses: 1, droppedHiddenAnswers: 0, includedTestResponses: 0 });
    expect(result.responses.map((response) => [response.sourceRow, response.responseId, response.status])).toEqual([
      [4, "R_1Ct0aXbQ9zF2kLm", "complete"],
      [5, "R_3PqL8xYw2bVn0Hs", "complete"],
      [6, "R_2XyZ7aBcDeFgHiJ", "complete"],
      [7, "R_0aaBBccDDeeFFgg", "partial"],
      [9, "R_5TtUuVvWwXxYyZz", "complete"],
    ]);
    const second = result.responses[1];
    expect(second?.answers).toMatchObject({
      position: { choice: "academia" },
      work_years: 8.5,
      frameworks: { choices: ["pytorch", "other"], otherText: "Chainer" },
      Q20: { choice: "maybe" },
      Q21: { choice: "upto2" },
      Q21_class: { choice: "upto10" },
      repeat_runs: 4,
      comments: 'Seeds help, but "cuDNN" still varies.\nWe rerun every experiment 3 times.',
    });
    // Denver local time in the file (import-id row), UTC here: 09:40 MST is 16:40 UTC. It used to stay 09:40, read as UTC.
    expect(second?.startedAt).toBe("2020-02-10T16:40:11.000Z");
    expect(result.responses[3]?.progress).toBe(35);
    // "Other, please specify" contains a comma and still splits correctly from the joined cell.
    expect(result.responses[2]?.answers.model_selection).toEqual({ choice: "other", otherText: "Average of the last 5 epochs" });
    expect(result.responses[4]?.answers.frameworks).toEqual({ choices: ["none"] });
  });

  it("maps columns by id and by question text and shows the mapping in the preview", () => {
    const preview = previewResponseImport(choiceText, pham);
    if (!preview.ok) throw new Error("preview failed");
    expect(preview.preview).toMatchObject({ format: "qualtrics", headerRowCount: 3, dataRowCount: 6, unmappedQuestionIds: [] });
    const byName = new Map(preview.preview.columns.map((column) => [column.name, column]));
    expect(byName.get("Q20")).toMatchObject({ matchedBy: "export-name", target: { kind: "value", questionId: "Q20" } });
    expect(byName.get("Q21_8_TEXT")).toMatchObject({ matchedBy: "id", target: { kind: "otherText", questionId: "Q21" } });
    expect(byName.get("Q2")).toMatchObject({ matchedBy: "text", target: { kind: "value", questionId: "position" } });
    expect(byName.get("Q22_8_TEXT")).toMatchObject({ matchedBy: "text", target: { kind: "otherText", questionId: "Q21_class" } });
    expect(byName.get("ResponseId")?.target).toEqual({ kind: "metadata", field: "responseId" });
    expect(byName.get("IPAddress")?.target.kind).toBe("ignored");
  });

  it("gives the same responses from a numeric-code export with one column per option", () => {
    const fromText = expectOk(importResponses(choiceText, pham));
    const fromCodes = expectOk(importResponses(numeric, pham));
    expect(fromCodes.responses.map(({ answers, status, responseId }) => ({ answers, status, responseId }))).toEqual(
      fromText.responses.map(({ answers, status, responseId }) => ({ answers, status, responseId })),
    );
    const byName = new Map(fromCodes.columns.map((column) => [column.name, column]));
    expect(byName.get("Q6_3")?.target).toEqual({ kind: "option", questionId: "frameworks", optionId: "pytorch" });
  });

  it("lets the admin override the automatic mapping", () => {
    const result = expectOk(importResponses(choiceText, pham, { questionKeyOverrides: { Q14: null } }));
    expect(result.responses.every((response) => response.answers.comments === undefined)).toBe(true);
    const clash = expectErrors(importResponses(choiceText, pham, { questionKeyOverrides: { Q3: "Q20" } }));
    expect(clash[0]).toMatchObject({ row: 1, columnName: "Q20", message: expect.stringMatching(/holds the same data as column T \("Q3"\)/) });
    const wrong = expectErrors(importResponses(choiceText, pham, { questionKeyOverrides: { Q3: "Q20", Q20: null } }));
    expect(wrong[0]).toMatchObject({ row: 4, column: 20, columnName: "Q3", message: expect.stringMatching(/"5" is not an option of Q20/) });
  });

  it("reads a legacy export without the ImportId row (two header rows)", () => {
    const rows = Papa.parse<string[]>(choiceText.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const legacy = Papa.unparse([rows[0] ?? [], rows[1] ?? [], ...rows.slice(3)], { newline: "\r\n" });
    const result = expectOk(importResponses(legacy, pham));
    expect(result.responses.map((response) => response.sourceRow)).toEqual([3, 4, 5, 6, 8]);
    expect(result.responses.map((response) => response.answers)).toEqual(expectOk(importResponses(choiceText, pham)).responses.map((response) => response.answers));
  });

  it("lists questions without a column and shows sample rows in the preview", () => {
    const rows = Papa.parse<string[]>(numeric, { skipEmptyLines: true }).data;
    const keep = (rows[0] ?? []).map((name, index) => (name === "Q14" ? -1 : index)).filter((index) => index >= 0);
    const withoutComments = Papa.unparse(rows.map((row) => keep.map((index) => row[index] ?? "")));
    const preview = previewResponseImport(withoutComments, pham);
    if (!preview.ok) throw new Error("preview failed");
    expect(preview.preview.unmappedQuestionIds).toEqual(["comments"]);
    expect(preview.preview.sampleRows).toHaveLength(5);
    expect(preview.preview.sampleRows[0]?.[8]).toBe("R_1Ct0aXbQ9zF2kLm");
  });

  it("can keep preview rows when asked", () => {
    expect(expectOk(importResponses(choiceText, pham, { includeTestResponses: true })).responses).toHaveLength(6);
  });
});

describe("importResponses: bad files", () => {
  it("reports an unknown option at its spreadsheet row and column, and imports nothing", () => {
    const errors = expectErrors(importResponses(withCell(choiceText, 5, "Q20", "Perhaps"), pham));
    expect(errors).toEqual([{ row: 5, column: 25, columnName: "Q20", message: expect.stringMatching(/^"Perhaps" is not an option of Q20 \(expected 1 = Yes, 2 = Maybe, 3 = No\)/) }]);
  });

  it("reports numbers out of range and text in number columns", () => {
    const errors = expectErrors(importResponses(withCell(withCell(choiceText, 4, "Q3", "75"), 6, "Q4", "three"), pham));
    expect(errors).toEqual([
      { row: 4, column: 20, columnName: "Q3", message: "work_years: Please enter a number from 0 years to 60 years." },
      { row: 6, column: 21, columnName: "Q4", message: '"three" is not a number (dl_years, in years).' },
    ]);
  });

  it("reports answers that the skip logic hides, or drops them when asked", () => {
    const text = withCell(choiceText, 6, "Q21", "(1%, 2%]"); // row 6 answered Q20 = No
    expect(expectErrors(importResponses(text, pham))[0]).toMatchObject({ row: 6, columnName: "Q21", message: expect.stringMatching(/show\/skip rules hide it/) });
    const dropped = expectOk(importResponses(text, pham, { hiddenAnswers: "drop" }));
    expect(dropped.summary.droppedHiddenAnswers).toBe(1);
    expect(dropped.responses[2]?.answers.Q21).toBeUndefined();
  });

  it("requires the Other text when Other is chosen", () => {
    const errors = expectErrors(importResponses(withCell(choiceText, 6, "Q2_3_TEXT", ""), pham));
    expect(errors[0]).toMatchObject({ row: 6, columnName: "Q2", message: expect.stringMatching(/Other/) });
  });

  it("reports duplicate response ids, bad Finished and Progress values", () => {
    const text = withCell(withCell(withCell(choiceText, 5, "ResponseId", "R_1Ct0aXbQ9zF2kLm"), 6, "Finished", "maybe"), 7, "Progress", "140");
    const messages = expectErrors(importResponses(text, pham)).map((error) => `${error.row}/${error.columnName}: ${error.message}`);
    expect(messages).toEqual([
      '5/ResponseId: Response id "R_1Ct0aXbQ9zF2kLm" already appears in row 4.',
      '6/Finished: Finished must be True/False or 1/0, not "maybe".',
      '7/Progress: Progress must be a number from 0 to 100, not "140".',
    ]);
  });

  it("rejects empty files, header-only files and broken quoting with one clear message", () => {
    expect(expectErrors(importResponses("", pham))).toEqual([{ row: 1, column: 1, columnName: "", message: "The file is empty." }]);
    expect(expectErrors(importResponses("\uFEFF\r\n", pham))[0]?.message).toBe("The file is empty.");
    const headerOnly = choiceText.split("\r\n").slice(0, 3).join("\r\n");
    expect(expectErrors(importResponses(headerOnly, pham))[0]?.message).toBe("The file has 3 header rows but no responses.");
    const truncated = choiceText.slice(0, choiceText.indexOf("We rerun"));
    expect(expectErrors(importResponses(truncated, pham))[0]).toMatchObject({ row: 5, message: expect.stringMatching(/Broken quoting/) });
  });

  it("rejects rows with more cells than the header", () => {
    const lines = numeric.trimEnd().split("\n");
    lines[3] = `${lines[3]},surplus`;
    expect(expectErrors(importResponses(lines.join("\n"), pham))[0]).toMatchObject({ row: 4, message: expect.stringMatching(/has \d+ cells but the header has \d+ columns/) });
  });

  it("says so when the file belongs to another questionnaire", () => {
    expect(expectErrors(importResponses(choiceText, loadMini()))[0]?.message).toMatch(/No column matches a question/);
  });

  it("rejects invalid options from the admin form", () => {
    expect(expectErrors(importResponses(choiceText, pham, { hiddenAnswers: "keep" as never }))[0]?.message).toMatch(/Invalid import options/);
  });
});

describe("importResponses: plain CSV", () => {
  it("reads one column per question with labels, ids or codes and judges completeness by the flow", () => {
    const text = [
      "response_id,position,work_years,dl_years,education,frameworks,Q20,Q21,Q21_class,time_default",
      'p1,Industry,4,2,master,"TensorFlow,PyTorch",No,,,(5%, 10%]',
      'p2,2,10,5,4,"jax",yes,upto1,(1%; 2%],none',
    ].join("\n");
    const errors = expectErrors(importResponses(text, pham));
    // p1: "(5%" is cut at the comma because the cell is not quoted, so the row has too many cells.
    expect(errors.map((error) => error.row)).toEqual([2, 3]);
    const fixed = text.replace("(5%, 10%]", '"(5%, 10%]"').replace("(1%; 2%]", "(1%, 2%]").replace("(1%, 2%],none", '"(1%, 2%]",none');
    const result = expectOk(importResponses(fixed, pham));
    expect(result.format).toBe("plain");
    expect(result.responses.map((response) => response.status)).toEqual(["partial", "partial"]);
    expect(result.responses[0]?.answers.frameworks).toEqual({ choices: ["tensorflow", "pytorch"] });
    expect(result.responses[1]?.answers).toMatchObject({ position: { choice: "academia" }, education: { choice: "phd" }, Q21: { choice: "upto1" } });
  });
});

describe("importResponses: a large file", () => {
  it("imports 50,000 responses", () => {
    const records = Papa.parse<string[]>(numeric, { skipEmptyLines: true }).data;
    const idColumn = records[0]?.indexOf("ResponseId") ?? -1;
    const body = records.slice(3).filter((record) => !record[idColumn]?.startsWith("R_PREVIEW"));
    const rows = Array.from({ length: 50_000 }, (_, index) => {
      const copy = [...(body[index % body.length] ?? [])];
      copy[idColumn] = `R_${index}`;
      return copy;
    });
    const text = Papa.unparse([...records.slice(0, 3), ...rows], { newline: "\r\n" });
    const started = performance.now();
    const result = expectOk(importResponses(text, pham));
    const seconds = (performance.now() - started) / 1000;
    expect(result.responses).toHaveLength(50_000);
    expect(result.summary.partial).toBe(10_000);
    console.info(`imported ${result.responses.length} responses in ${seconds.toFixed(1)} s`);
  }, 120_000);
});
