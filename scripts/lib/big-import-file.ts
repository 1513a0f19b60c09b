/**
 * A large, valid response-import file: the Qualtrics fixture's data rows repeated with fresh response ids until
 * the file reaches the size asked for. Used by the import-under-load benchmark and the import-job tests.
 */
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";

const FIXTURE = path.resolve(import.meta.dirname, "../../tests/fixtures/survey/qualtrics-pham2020-numeric.csv");

/** Writes the file and returns how many response rows it holds. Response ids are `<idPrefix><n>`, unique per prefix. */
export function writeBigQualtricsCsv(file: string, targetBytes: number, idPrefix: string): { rows: number; bytes: number } {
  const parsed = Papa.parse<string[]>(fs.readFileSync(FIXTURE, "utf8"), { skipEmptyLines: true });
  const [header, labels, importIds, ...data] = parsed.data;
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
    write(Papa.unparse([header!, labels!, importIds!]) + "\r\n");
    let rows = 0;
    while (bytes < targetBytes) {
      const lines: string[][] = [];
      for (let i = 0; i < 1000; i++, rows++) {
        const row = [...data[rows % data.length]!];
        row[idColumn] = `${idPrefix}${String(rows).padStart(10, "0")}`;
        lines.push(row);
      }
      write(Papa.unparse(lines) + "\r\n");
    }
    return { rows, bytes };
  } finally {
    fs.closeSync(out);
  }
}
