import fs from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { neutralizeFormula, readCsv, readCsvTable, restoreNeutralizedFormula, writeCsv } from "@/lib/io/csv";
import { parseCsvPapers } from "@/lib/io/papers-csv";

describe("writeCsv", () => {
  it("writes CSV with quoting and the formula guard", () => {
    expect(writeCsv([["a", "b"], ["x,y", "=SUM(A1)"], [-3, null]], { finalLineBreak: true })).toBe('a,b\r\n"x,y",\'=SUM(A1)\r\n-3,\r\n');
  });

  it("ends without a line break unless asked, and writes non-finite numbers as empty cells", () => {
    expect(writeCsv([["n"], [Number.NaN], [2.5]])).toBe("n\r\n\r\n2.5");
    expect(writeCsv([])).toBe("");
    expect(writeCsv([], { finalLineBreak: true })).toBe("");
  });

  it("quotes quotes, line breaks and edge spaces, so every reader gets the cell back whole", () => {
    const cells = ['say "hi"', "two\nlines", " leading", "trailing ", "\uFEFFmark"];
    const csv = writeCsv([cells]);
    expect(csv).toBe('"say ""hi""","two\nlines"," leading","trailing ","\uFEFFmark"');
    expect(readCsv(csv).records).toEqual([cells]);
  });

  it("writes the same bytes the exports wrote with papaparse and neutralizeFormula before", () => {
    const cells = ["plain", "-3", "+1.5e-2", "=1+1", "@cmd", "-x", "\ttab", "a,b", 'q"q', " sp", "é", ""];
    const rows = cells.map((cell, i) => [cell, cells[(i + 5) % cells.length]!]);
    expect(writeCsv(rows)).toBe(Papa.unparse(rows.map((row) => row.map(neutralizeFormula)), { newline: "\r\n", escapeFormulae: false }));
  });

  it("leaves hostile cells alone only when told to (test files that carry them on purpose)", () => {
    expect(writeCsv([["=HYPERLINK(1)"]], { formulaGuard: false })).toBe("=HYPERLINK(1)");
    expect(restoreNeutralizedFormula(readCsv(writeCsv([["=HYPERLINK(1)"]])).records[0]![0]!)).toBe("=HYPERLINK(1)");
  });
});

describe("readCsv", () => {
  it("ignores a byte-order mark and keeps every cell text", () => {
    expect(readCsv("\uFEFFid,n\r\n007,1e3\r\n").records).toEqual([["id", "n"], ["007", "1e3"], [""]]);
  });

  it("keeps blank lines by default, so record i is spreadsheet row i + 1, and drops them when asked", () => {
    expect(readCsv("a\n\nb").records).toEqual([["a"], [""], ["b"]]);
    expect(readCsv("a\n \nb\n", { skipEmptyLines: true }).records).toEqual([["a"], ["b"]]);
  });

  it("splits on commas unless told to detect a spreadsheet's list separator", () => {
    expect(readCsv("a;b\n1;2").records).toEqual([["a;b"], ["1;2"]]);
    const detected = readCsv("a;b\n1;2", { delimiter: "detect" });
    expect(detected.delimiter).toBe(";");
    expect(detected.records).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("reports broken quoting with the record where it starts", () => {
    expect(readCsv('a\n"open,1\nb').quoteErrors).toEqual([{ record: 1, unclosed: true }]);
    const table = readCsvTable('a\n"open,1\nb');
    expect(table.ok).toBe(false);
    if (!table.ok) expect(table.errors[0]).toMatchObject({ row: 2, message: expect.stringMatching(/never closed/) });
    expect(readCsvTable("\uFEFF  \n")).toEqual({ ok: false, errors: [{ row: 1, column: 1, columnName: "", message: "The file is empty." }] });
  });

  it("a paper file's unclosed quote is reported at the row a spreadsheet shows (it said the row above)", () => {
    const result = parseCsvPapers(fs.readFileSync("tests/fixtures/papers/broken-unclosed-quote.csv", "utf8"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^Row 2: a quoted cell is never closed/);
  });
});
