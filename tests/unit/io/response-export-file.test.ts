/**
 * A background export writes its file in pieces (head, one piece per batch, tail); joined, they must be the bytes
 * the direct export builds in one go, for every file and however the records are cut into batches.
 */
import { describe, expect, it } from "vitest";
import { statisticsCsv } from "@/lib/io/r-spss-export";
import { exportFileName, exportFilePieces, jsonExportObject, type ExportFileKind, type ExportFileMeta } from "@/lib/io/response-export-file";
import { responsesToCsv } from "@/lib/survey/export";
import { drawPresentationOrder } from "@/lib/survey/randomize";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";
import { loadMini } from "../survey/load-questionnaire";

const mini = loadMini();
const meta: ExportFileMeta = { slug: "mini", version: 3, exportedAt: "2026-12-07T21:00:00.000Z", definition: mini, headlineConfig: { headlines: [] } as never };

/** Cells that stress the CSV and JSON writers: formulas, quotes, line ends, U+2028 (a line end to a regex), spaces. */
const records: SurveyResponseRecord[] = Array.from({ length: 23 }, (_, index) => ({
  responseId: index % 5 === 0 ? `=cmd${index}` : `r${index}`,
  status: index % 3 === 0 ? "partial" : "complete",
  progress: index % 3 === 0 ? 40 : 100,
  startedAt: new Date(Date.UTC(2026, 10, 1, 10, index)).toISOString(),
  submittedAt: index % 3 === 0 ? undefined : new Date(Date.UTC(2026, 10, 1, 11, index)).toISOString(),
  presentationOrder: index % 2 === 0 ? drawPresentationOrder(mini, index) : undefined,
  answers:
    index % 7 === 6
      ? ({} as SurveyResponseRecord["answers"])
      : {
          role: index % 4 === 0 ? { choice: "other", otherText: ` lead ${index}, "quoted"` } : { choice: "student" },
          tools: { choices: ["torch", "other"], otherText: "Julia\u2028Flux" },
          years: index / 2,
          story: `Line one\r\nline "two", with comma ${index}`,
          why: "-GPU kernels",
        },
}));

/** The pieces for these records cut into batches of the given sizes. */
function joined(kind: ExportFileKind, batches: number[]): string {
  const pieces = exportFilePieces(kind, meta);
  let text = pieces.head;
  let at = 0;
  for (const size of batches) {
    const batch = records.slice(at, at + size);
    if (batch.length === 0) continue;
    text += pieces.batch(batch, at === 0);
    at += batch.length;
  }
  return text + pieces.tail(at > 0);
}

const CUTS = [[23], [1, 22], [5, 5, 5, 5, 3], [10, 13], Array.from({ length: 23 }, () => 1)];

describe("a response export written in pieces", () => {
  it.each(CUTS)("is the direct CSV (codes and labels), cut %#", (...cut) => {
    expect(joined({ format: "csv", valueFormat: "codes" }, cut)).toBe(responsesToCsv(mini, records, { bom: true, valueFormat: "codes" }));
    expect(joined({ format: "csv", valueFormat: "labels" }, cut)).toBe(responsesToCsv(mini, records, { bom: true, valueFormat: "labels" }));
  });

  it.each(CUTS)("is the direct R/SPSS data file, cut %#", (...cut) => {
    expect(joined({ format: "r-data", valueFormat: "codes" }, cut)).toBe(statisticsCsv(mini, records));
  });

  it.each(CUTS)("is the direct JSON, cut %#", (...cut) => {
    const text = joined({ format: "json", valueFormat: "codes" }, cut);
    expect(text).toBe(JSON.stringify(jsonExportObject(meta, records), null, 2));
    expect(JSON.parse(text).responses).toHaveLength(23);
  });

  it("is the direct file for no responses at all", () => {
    for (const format of ["csv", "r-data", "json"] as const) {
      const pieces = exportFilePieces({ format, valueFormat: "codes" }, meta);
      const direct = format === "csv" ? responsesToCsv(mini, [], { bom: true }) : format === "r-data" ? statisticsCsv(mini, []) : JSON.stringify(jsonExportObject(meta, []), null, 2);
      expect(pieces.head + pieces.tail(false)).toBe(direct);
    }
  });

  it("names the files as the direct export does", () => {
    expect(exportFileName({ format: "csv", valueFormat: "codes", includePartial: false }, meta)).toBe("mini-v3-completed-2026-12-07.csv");
    expect(exportFileName({ format: "json", valueFormat: "codes", includePartial: true }, meta)).toBe("mini-v3-all-2026-12-07.json");
    expect(exportFileName({ format: "r-data", valueFormat: "codes", includePartial: true }, meta)).toBe("mini-v3-all-data.csv");
  });
});
