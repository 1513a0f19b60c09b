/**
 * A response export written in pieces: the head, one piece per batch of records, and the tail. Joined, the pieces
 * are byte for byte the file the direct export builds in one go (responsesToCsv, statisticsCsv, the JSON export),
 * so a background export (lib/jobs/response-export-job.ts) can write a file of any size a batch at a time.
 *
 * Pure: definition and records in, text out.
 */
import Papa from "papaparse";
import type { HeadlineConfig } from "@/lib/dashboard/headlines";
import { responsesToRows, type ExportOptions } from "@/lib/survey/export";
import { statisticsFileNames } from "./r-spss-export";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";

export type ExportFileKind = { format: "csv" | "json" | "r-data"; valueFormat: "codes" | "labels" };
/** What the JSON export says about itself besides the records. */
export type ExportFileMeta = { slug: string; version: number; exportedAt: string; definition: QuestionnaireDefinition; headlineConfig: HeadlineConfig };

export type ExportFilePieces = {
  head: string;
  /** The text of one batch; `first` is true for the file's first non-empty batch. */
  batch(records: readonly SurveyResponseRecord[], first: boolean): string;
  /** `any` is false when no batch had a record. */
  tail(any: boolean): string;
};

const CSV = { newline: "\r\n", escapeFormulae: false } as const;

/** The JSON export's object; its "responses" are written last, so the records can follow as they are read. */
export function jsonExportObject(meta: ExportFileMeta, records: readonly SurveyResponseRecord[]) {
  return { questionnaire: meta.slug, version: meta.version, exportedAt: meta.exportedAt, definition: meta.definition, headlines: meta.headlineConfig, responses: records };
}

/** JSON.stringify(…, null, 2) puts each element of the top-level "responses" array 4 spaces in. */
const indented = (record: SurveyResponseRecord) =>
  JSON.stringify(record, null, 2)
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");

export function exportFilePieces(kind: ExportFileKind, meta: ExportFileMeta): ExportFilePieces {
  if (kind.format === "json") {
    const empty = JSON.stringify(jsonExportObject(meta, []), null, 2);
    const closing = "[]\n}";
    if (!empty.endsWith(closing)) throw new Error("the JSON export no longer ends with its responses");
    return {
      head: `${empty.slice(0, -closing.length)}[`,
      batch: (records, first) => `${first ? "\n" : ",\n"}${records.map(indented).join(",\n")}`,
      tail: (any) => (any ? "\n  ]\n}" : "]\n}"),
    };
  }
  // The R/SPSS data file is the codes CSV without presentation order or byte-order mark, ending with a line end.
  const options: ExportOptions = kind.format === "r-data" ? { valueFormat: "codes", includePresentationOrder: false } : { valueFormat: kind.valueFormat };
  const header = responsesToRows(meta.definition, [], options);
  return {
    head: `${kind.format === "csv" ? "\uFEFF" : ""}${Papa.unparse(header, CSV)}`,
    batch: (records) => `\r\n${Papa.unparse(responsesToRows(meta.definition, records, options).slice(1), CSV)}`,
    tail: () => (kind.format === "r-data" ? "\r\n" : ""),
  };
}

/** The file name the direct export gives the same file (the date is the export's). */
export function exportFileName(kind: ExportFileKind & { includePartial: boolean }, meta: { slug: string; version: number; exportedAt: string }): string {
  if (kind.format === "r-data") return statisticsFileNames(meta.slug, meta.version, kind.includePartial).csv;
  return `${meta.slug}-v${meta.version}-${kind.includePartial ? "all" : "completed"}-${meta.exportedAt.slice(0, 10)}.${kind.format === "json" ? "json" : "csv"}`;
}
