import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { importPaperFile } from "@/lib/coding/paper-import";
import { checkQuestionnaireSource, readQuestionnaireFile } from "@/lib/db/questionnaires";
import { importResponses } from "@/lib/io/response-import";
import { parseResultLine } from "@/lib/runner/results-io";
import { readUploadText, UTF16_ADVICE } from "@/lib/io/text-encoding";
import { definitionSizeProblem, findUnstorable, findUnstorableIn, utf8Bytes } from "@/lib/validation/limits";

// Issue 23 item 4 (and 2 for imports): text that decodes to characters PostgreSQL cannot store, and values
// that pass a character limit but overflow a B-tree index in bytes, must be refused with where they are —
// before they reach the database, where they failed the whole write with a 500.
const root = path.resolve(import.meta.dirname, "../../..");
const { sourceText, definition } = readQuestionnaireFile(path.join(root, "data/questionnaires/pham2020.yaml"));
const csv = fs.readFileSync(path.join(root, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), "utf8");
const resultLine = fs.readFileSync(path.join(root, "tests/fixtures/runner/lenet1-quick-tiny/results.jsonl"), "utf8").split("\n")[0]!;

const withCell = (text: string, row: number, columnName: string, value: string): string => {
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
  const column = rows[0]!.indexOf(columnName);
  rows[row - 1]![column] = value;
  return Papa.unparse(rows, { newline: "\r\n" });
};

describe("the limits module", () => {
  it("counts UTF-8 bytes as PostgreSQL stores them", () => {
    expect(utf8Bytes("abc")).toBe(3);
    expect(utf8Bytes("é")).toBe(2);
    expect(utf8Bytes("変動")).toBe(6);
    expect(utf8Bytes("😀")).toBe(4);
    expect(utf8Bytes("\ud800")).toBe(3);
  });

  it("finds NUL and lone surrogates, not valid pairs", () => {
    expect(findUnstorable("ok 😀")).toBeNull();
    expect(findUnstorable("a\u0000")).toEqual({ kind: "nul", index: 1 });
    expect(findUnstorable("ab\ud83d")).toEqual({ kind: "surrogate", index: 2 });
    expect(findUnstorable("\ude00x")).toEqual({ kind: "surrogate", index: 0 });
    expect(findUnstorableIn({ a: ["x", { "b c": "\u0000" }] })?.path).toBe('a[1]."b c"');
  });
});

describe("questionnaire definitions whose escapes decode to unstorable text", () => {
  const replaceTitle = (title: string) => sourceText.replace(/^title: .*$/m, `title: "${title}"`);
  const titleLine = sourceText.split("\n").findIndex((line) => line.startsWith("title: ")) + 1;

  it.each([
    ["\\0", /NUL character/],
    ["\\ud800", /broken character/],
  ])("refuse %s with its line", (escape, message) => {
    const check = checkQuestionnaireSource(replaceTitle(`Variance ${escape} study`));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors).toEqual([expect.objectContaining({ line: titleLine, path: "title", message: expect.stringMatching(message) })]);
  });

  it("accept an emoji written as a surrogate-pair escape", () => {
    expect(checkQuestionnaireSource(replaceTitle("Variance \\ud83d\\ude00 study")).ok).toBe(true);
  });
});

describe("response import: values an index cannot hold", () => {
  it("names the row and column of a 2,000-character response id", () => {
    const result = importResponses(withCell(csv, 4, "ResponseId", "R_" + "x".repeat(2_000)), definition);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ row: 4, columnName: "ResponseId", message: "The response id is 2,002 bytes long; at most 500 are accepted." })]);
  });

  it("counts bytes: 200 CJK characters are 600 bytes", () => {
    const result = importResponses(withCell(csv, 4, "ResponseId", "応".repeat(200)), definition);
    expect(result.ok).toBe(false);
    expect(importResponses(withCell(csv, 4, "ResponseId", "応".repeat(150)), definition).ok).toBe(true);
  });

  it("refuses an 'Other' text longer than the form allows, with row and column", () => {
    const result = importResponses(withCell(withCell(csv, 4, "Q2", "3"), 4, "Q2_3_TEXT", "y".repeat(600)), definition);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ row: 4, message: expect.stringMatching(/at most 500 characters \(it has 600\)/) });
  });
});

describe("paper imports: titles in bytes, abstracts, decoded text", () => {
  const entry = (key: string, fields: string) => `@article{${key},\n  ${fields},\n  author = {Ada Lovelace},\n  year = {2020}\n}\n`;
  const good = entry("ok", "title = {Variance in training}");

  it("rejects a 1,000-character CJK title (3,000 bytes) by name and keeps the others", () => {
    const report = importPaperFile(new TextEncoder().encode(good + entry("cjk", `title = {${"訓練".repeat(500)}}`)), { format: "bibtex" });
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.papers.map((paper) => paper.sourceKey)).toEqual(["ok"]);
    expect(report.rejected).toEqual([expect.objectContaining({ key: "cjk", reason: "title longer than 2000 bytes in UTF-8 (1000 characters)" })]);
  });

  it("rejects an abstract over 50,000 characters", () => {
    const ris = `TY  - JOUR\nTI  - Long abstract\nAB  - ${"z".repeat(60_000)}\nPY  - 2020\nER  - \n`;
    const report = importPaperFile(new TextEncoder().encode(ris), { format: "ris" });
    expect(report.ok && report.rejected).toEqual([expect.objectContaining({ reason: "abstract longer than 50,000 characters" })]);
  });
});

describe("runner result lines", () => {
  it("refuse a NUL or lone surrogate escaped in JSON, naming the field", () => {
    const withNul = resultLine.replace('"preset":"lenet1-quick"', '"preset":"lenet1\\u0000quick"');
    expect(parseResultLine(withNul)).toEqual({ ok: false, message: "field preset contains a NUL character (U+0000) at position 7" });
    const withSurrogate = resultLine.replace(/"hostname":"[^"]*"/, '"hostname":"box\\udc00"');
    expect(parseResultLine(withSurrogate)).toMatchObject({ ok: false, message: expect.stringMatching(/^field environment\.hostname contains a broken character/) });
  });

  it("refuse free text over 10,000 characters and set ids over 300 bytes", () => {
    const long = resultLine.replace(/"hostname":"[^"]*"/, `"hostname":"${"h".repeat(10_001)}"`);
    expect(parseResultLine(long)).toEqual({ ok: false, message: "field environment.hostname has 10,001 characters; at most 10,000 are accepted" });
    const longSet = resultLine.replace(/"setId":"[^"]*"/, `"setId":"${"集".repeat(101)}"`);
    expect(parseResultLine(longSet)).toEqual({ ok: false, message: "setId is longer than 300 bytes" });
    expect(parseResultLine(resultLine).ok).toBe(true);
  });
});

describe("UTF-16 uploads (Excel's 'Unicode text')", () => {
  const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(text, (c) => c.charCodeAt(0)).buffer)]);
  const utf16be = (text: string) => new Uint8Array([0xfe, 0xff, ...[...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])]);
  const ris = "TY  - JOUR\nTI  - Variance in training — über\nAU  - Lovelace, Ada\nPY  - 2020\nER  - \n";

  it("are decoded when they carry a byte-order mark", () => {
    expect(readUploadText(utf16le("a,b\né,ü"))).toEqual({ ok: true, text: "a,b\né,ü", encoding: "utf-16le" });
    expect(readUploadText(utf16be("a,b"))).toEqual({ ok: true, text: "a,b", encoding: "utf-16be" });
    const report = importPaperFile(utf16le(ris), { format: "ris" });
    expect(report.ok && report.papers.map((paper) => paper.title)).toEqual(["Variance in training — über"]);
  });

  it("are named, with how to save as UTF-8, when the mark is missing", () => {
    const bomless = utf16le(ris).subarray(2);
    const report = importPaperFile(bomless, { format: "ris" });
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.errors).toEqual([UTF16_ADVICE]);
    expect(readUploadText(utf16le("StartDate,EndDate\n1,2").subarray(2))).toEqual({ ok: false, error: UTF16_ADVICE });
  });

  it("leave UTF-8 alone", () => {
    expect(readUploadText(new TextEncoder().encode("\ufeffa,b\n変,動"))).toEqual({ ok: true, text: "a,b\n変,動", encoding: "utf-8" });
  });
});

describe("questionnaire definition size (the editor and the save action share it)", () => {
  it("counts bytes and names both sizes", () => {
    expect(definitionSizeProblem("x".repeat(2_000_000))).toBeNull();
    expect(definitionSizeProblem("x".repeat(3_500_000))).toMatch(/^The definition is 3\.5 MB; at most 2\.0 MB can be saved\. Your text is still in the editor/);
    // 700,000 CJK characters pass a 2,000,000-character limit but are 2.1 MB on the wire.
    expect(definitionSizeProblem("訓".repeat(700_000))).toMatch(/2\.1 MB/);
  });
});
