/**
 * Export shaping of a coded sample: one row per paper with its metadata, each coder's codes (coder
 * slots in coder id order) and the final codes, plus a codebook table that explains every column.
 * Multiple-choice answers are written as option values joined with "+" (the codebook table lists the
 * values). Every CSV cell is neutralized against spreadsheet formula injection.
 */
import { writeCsv } from "@/lib/io/csv";
import { answerKey, isQuestionAsked, type Codebook } from "./codebook";
import type { PaperCoding } from "./conflicts";
import type { FinalCodeStatus } from "./final-codes";

export type ExportPaper = {
  key: string;
  stratumId: string;
  title: string;
  authors: readonly string[];
  venue: string | null;
  year: number | null;
  doi: string | null;
  url: string | null;
};

export type ExportTable = { columns: string[]; rows: Record<string, string>[] };

/**
 * The coded sample as a table.
 * @param papers sampled papers, in the order rows should appear.
 * @param codings every coder's coding (of the round being exported).
 * @param finalCodes from deriveFinalCodes; papers without one get status "pending".
 */
export function shapeCodedSampleTable(
  codebook: Codebook,
  papers: readonly ExportPaper[],
  codings: readonly PaperCoding[],
  finalCodes: readonly FinalCodeStatus[],
): ExportTable {
  const coderSlots = Math.max(0, ...papers.map((paper) => codings.filter((coding) => coding.paperKey === paper.key).length));
  const questionIds = codebook.questions.map((question) => question.id);
  const finalQuestionIds = codebook.questions.filter((question) => question.type !== "text").map((question) => question.id);
  const columns = [
    "paper_key",
    "stratum",
    "title",
    "authors",
    "venue",
    "year",
    "doi",
    "url",
    ...Array.from({ length: coderSlots }, (_, slot) => [`coder${slot + 1}_id`, ...questionIds.map((id) => `coder${slot + 1}_${id}`)]).flat(),
    ...finalQuestionIds.map((id) => `final_${id}`),
    "final_status",
    "final_reason",
  ];
  const rows = papers.map((paper) => {
    const row: Record<string, string> = {
      paper_key: paper.key,
      stratum: paper.stratumId,
      title: paper.title,
      authors: paper.authors.join("; "),
      venue: paper.venue ?? "",
      year: paper.year === null ? "" : String(paper.year),
      doi: paper.doi ?? "",
      url: paper.url ?? "",
    };
    const paperCodings = codings.filter((coding) => coding.paperKey === paper.key).sort((a, b) => (a.coderId < b.coderId ? -1 : a.coderId > b.coderId ? 1 : 0));
    paperCodings.forEach((coding, slot) => {
      row[`coder${slot + 1}_id`] = coding.coderId;
      for (const id of questionIds) {
        // Answers left over from a changed parent answer were never in force: export them blank.
        const value = isQuestionAsked(codebook, id, coding.answers) ? answerKey(coding.answers[id]) : null;
        row[`coder${slot + 1}_${id}`] = value ?? "";
      }
    });
    const final = finalCodes.find((code) => code.paperKey === paper.key);
    row.final_status = final?.status ?? "pending";
    row.final_reason = final && final.status !== "agreed" ? final.reason : "";
    for (const id of finalQuestionIds) {
      row[`final_${id}`] = final && final.status !== "pending" ? answerKey(final.answers[id]) ?? "" : "";
    }
    return Object.fromEntries(columns.map((column) => [column, row[column] ?? ""]));
  });
  return { columns, rows };
}

/** The codebook as a table: one row per question, explaining the values used in the export. */
export function shapeCodebookTable(codebook: Codebook): ExportTable {
  const columns = ["codebook", "version", "question_id", "type", "text", "options", "ask_if", "required", "definition"];
  const rows = codebook.questions.map((question) => ({
    codebook: codebook.id,
    version: String(codebook.version),
    question_id: question.id,
    type: question.type,
    text: question.text,
    options: (question.options ?? []).map((option) => `${option.value}=${option.label}`).join("; "),
    ask_if: question.askIf.map((condition) => `${condition.question} in {${condition.anyOf.join(", ")}}`).join(" and "),
    required: question.required ? "yes" : "no",
    definition: question.definition?.trim() ?? "",
  }));
  return { columns, rows };
}

/**
 * Serializes a table as CSV (comma, CRLF line ends as RFC 4180), neutralizing formula-like cells.
 */
export function tableToCsv(table: ExportTable): string {
  return writeCsv([table.columns, ...table.rows.map((row) => table.columns.map((column) => row[column] ?? ""))]);
}

/**
 * The coded sample as JSON-ready data: codebook identity, and per paper its metadata, each coder's
 * codes (only answers to asked questions) and the final code.
 */
export function shapeCodedSampleJson(
  codebook: Codebook,
  papers: readonly ExportPaper[],
  codings: readonly PaperCoding[],
  finalCodes: readonly FinalCodeStatus[],
) {
  return {
    codebook: { id: codebook.id, version: codebook.version, title: codebook.title },
    papers: papers.map((paper) => ({
      ...paper,
      authors: [...paper.authors],
      codings: codings
        .filter((coding) => coding.paperKey === paper.key)
        .map((coding) => ({
          coderId: coding.coderId,
          answers: Object.fromEntries(Object.entries(coding.answers).filter(([id, value]) => value !== null && value !== undefined && codebook.questions.some((question) => question.id === id) && isQuestionAsked(codebook, id, coding.answers))),
        })),
      final: finalCodes.find((code) => code.paperKey === paper.key) ?? { paperKey: paper.key, status: "pending" as const, reason: "no codings" },
    })),
  };
}
