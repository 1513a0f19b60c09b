import { describe, expect, it } from "vitest";
import { groupImportErrors } from "@/lib/io/import-error-groups";
import { stoppedOnSection } from "@/lib/survey/stop-page";
import { loadMini } from "../survey/load-questionnaire";

describe("groupImportErrors", () => {
  it("groups the same mistake in many rows into one kind with its count and first rows", () => {
    const errors = [
      ...Array.from({ length: 40 }, (_, index) => ({ row: 4 + index, column: 9, columnName: "Q1", message: `"Yes${index}" is not an option of Q1 (expected 1 = A, 2 = B).` })),
      { row: 7, column: 12, columnName: "Q5", message: '"ten" is not a number (Q5).' },
    ];
    const groups = groupImportErrors(errors);
    expect(groups.map((group) => [group.columnName, group.count])).toEqual([["Q1", 40], ["Q5", 1]]);
    expect(groups[0]?.examples.map((example) => [example.row, example.column])).toEqual([[4, 9], [5, 9], [6, 9]]);
  });
});

describe("stoppedOnSection", () => {
  const mini = loadMini();
  const pages = mini.sections.map((section) => section.id);
  it("is the page after the last page with an answer, the first page without answers", () => {
    expect(stoppedOnSection(mini, {})).toBe(pages[0]);
    expect(stoppedOnSection(mini, { role: { choice: "student" } })).toBe(pages[1]);
  });
});
