/**
 * A large, valid response-import file: the Qualtrics fixture's data rows repeated with fresh response ids until
 * the file is as large as asked for (never larger). Used by the import-under-load benchmark and the import-job tests.
 */
import fs from "node:fs";
import path from "node:path";
import { readCsv, writeCsv } from "@/lib/io/csv";

const FIXTURE = path.resolve(import.meta.dirname, "../../tests/fixtures/survey/qualtrics-pham2020-numeric.csv");

/** Writes the file and returns how many response rows it holds. Response ids are `<idPrefix><n>`, unique per prefix. */
export function writeBigQualtricsCsv(file: string, targetBytes: number, idPrefix: string): { rows: number; bytes: number } {
  const [header, labels, importIds, ...data] = readCsv(fs.readFileSync(FIXTURE, "utf8"), { skipEmptyLines: true }).records;
  const idColumn = header!.indexOf("ResponseId");
  if (idColumn < 0) throw new Error("the fixture has no ResponseId column");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.openSync(file, "w");
  try {
    let bytes = 0;
    const write = (text: string) => {
      fs.writeSync(out, text);
      bytes += Buffer.byteLength(text);
    };
    // The fixture's hostile cells are part of what the import is tested on: copied as they are, unguarded.
    write(writeCsv([header!, labels!, importIds!], { finalLineBreak: true, formulaGuard: false }));
    let rows = 0;
    // Whole rows only, and never past targetBytes (an upload limit of 50 MB must still take a "50 MB" file).
    for (;;) {
      const lines: string[][] = [];
      for (let i = 0; i < 100; i++) {
        const row = [...data[(rows + i) % data.length]!];
        row[idColumn] = `${idPrefix}${String(rows + i).padStart(10, "0")}`;
        lines.push(row);
      }
      const chunk = writeCsv(lines, { finalLineBreak: true, formulaGuard: false });
      if (bytes + Buffer.byteLength(chunk) > targetBytes) break;
      write(chunk);
      rows += lines.length;
    }
    return { rows, bytes };
  } finally {
    fs.closeSync(out);
  }
}
