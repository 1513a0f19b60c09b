import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkQuestionnaireSource, readQuestionnaireFile } from "@/lib/db/questionnaires";
import { importResponses } from "@/lib/io/response-import";
import { lineOfFirstNul } from "@/lib/io/nul-bytes";

// Found by the importer fuzzer: a NUL byte in a questionnaire definition or a response CSV reached PostgreSQL,
// which cannot store U+0000, and the write failed with a database error instead of a located rejection.
const root = path.resolve(import.meta.dirname, "../../..");
const { sourceText, definition } = readQuestionnaireFile(path.join(root, "data/questionnaires/pham2020.yaml"));
const csv = fs.readFileSync(path.join(root, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), "utf8");
const withNulOnLine = (text: string, line: number) => text.split("\n").map((l, i) => (i === line - 1 ? `${l}\u0000` : l)).join("\n");

describe("NUL bytes in imported text", () => {
  it("are located by line, with CRLF and CR line ends too", () => {
    expect(lineOfFirstNul("a\nb\r\nc\u0000")).toBe(3);
    expect(lineOfFirstNul("a\rb\u0000")).toBe(2);
    expect(lineOfFirstNul("clean")).toBeNull();
  });

  it("refuse a questionnaire definition with the line", () => {
    const check = checkQuestionnaireSource(withNulOnLine(sourceText, 12));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors).toEqual([expect.objectContaining({ line: 12, message: expect.stringMatching(/^Line 12 contains a NUL byte/) })]);
    expect(checkQuestionnaireSource(sourceText).ok).toBe(true);
  });

  it("refuse a response CSV with the line", () => {
    const result = importResponses(withNulOnLine(csv, 5), definition);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ row: 5, message: expect.stringMatching(/^Line 5 contains a NUL byte/) })]);
    expect(importResponses(csv, definition).ok).toBe(true);
  });
});
