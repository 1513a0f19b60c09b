/**
 * Child process of crash-killed-import.test.ts: opens the database given on the command line and imports a
 * response CSV, but stops inside the import's transaction after a given number of statements (and prints
 * "paused") so that the parent can SIGKILL it at a known point with rows already written but not committed.
 * Usage: tsx crash-import-child.ts <target JSON> <questionnaire id> <admin id> <csv file> <pause after N statements>
 */
import fs from "node:fs";
import { openDatabase, type SqlRunner } from "@/lib/db/engine/connection";
import { commitImport } from "@/lib/db/response-imports";

const [targetJson, questionnaireId, adminId, csvFile, pauseAfter] = process.argv.slice(2);
const db = await openDatabase(JSON.parse(targetJson!));
let statements = 0;
const pausing = (tx: SqlRunner): SqlRunner => ({
  ...tx,
  async query<Row>(sql: string, params?: unknown[]) {
    const rows = await tx.query<Row>(sql, params);
    statements += 1;
    if (statements === Number(pauseAfter)) {
      process.stdout.write(`paused after ${statements} statements\n`);
      await new Promise(() => {}); // never resumes: the parent kills this process here
    }
    return rows;
  },
});
const transaction = db.sql.transaction.bind(db.sql);
db.sql.transaction = (fn) => transaction((tx) => fn(pausing(tx)));
const outcome = await commitImport(db, { id: adminId!, role: "ADMIN", canAdjudicate: true }, { questionnaireId: questionnaireId!, fileName: "big.csv", text: fs.readFileSync(csvFile!, "utf8") });
process.stdout.write(`done ${JSON.stringify(outcome).slice(0, 200)}\n`);
await db.close();
