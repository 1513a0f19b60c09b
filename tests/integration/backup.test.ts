import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { BackupRestoreError, restoreBackup, tablesInDependencyOrder, writeBackup } from "@/lib/db/engine/backup";
import type { Database } from "@/lib/db/engine/connection";
import { freshDatabase, MODES, type Mode } from "./database-modes";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-backup-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Rows of every table as JSON text, in a stable order, for comparing two databases. */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tablesInDependencyOrder(db.sql)) {
    const rows = await db.sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
    out[table] = rows.map((r) => r.row).sort();
  }
  return out;
}

async function fillWithStudyData(db: Database) {
  const user = await db.prisma.user.create({ data: { email: "a@example.org", name: "Ä \"quoted\"", role: "ADMIN", passwordHash: "x" } });
  await db.prisma.auditEntry.create({ data: { actorId: user.id, action: "test", details: { nested: [1, 2.5, "three"], nul: null } } });
  const study = await db.prisma.study.create({ data: { slug: "s", name: "Study" } });
  const questionnaire = await db.prisma.questionnaire.create({ data: { slug: "q", title: "Q", studyId: study.id, status: "OPEN" } });
  const version = await db.prisma.questionnaireVersion.create({
    data: { questionnaireId: questionnaire.id, version: 1, definition: { id: "q" }, sourceText: "id: q\n", publishedAt: new Date("2026-01-02T03:04:05.678Z") },
  });
  // More rows than one backup chunk (1,000), to exercise chunking.
  await db.prisma.response.createMany({
    data: Array.from({ length: 1205 }, (_, i) => ({ id: `r${i}`, questionnaireId: questionnaire.id, versionId: version.id, status: i % 3 ? ("COMPLETED" as const) : ("IN_PROGRESS" as const), randomSeed: i })),
  });
  await db.prisma.answer.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({ responseId: `r${i}`, questionId: "q20", value: { choice: "yes" }, choiceIds: ["yes", "other"], numberValue: i / 7, textValue: "a,b\n\"c\"" })),
  });
}

const pairs: Array<[Mode, Mode]> = MODES.flatMap((from) => MODES.map((to) => [from, to] as [Mode, Mode]));

describe.each(pairs)("backup from %s, restore into %s", (from, to) => {
  it("restores a copy that holds exactly the same data", { timeout: 180_000 }, async () => {
    const source = await freshDatabase(from);
    const target = await freshDatabase(to, { migrate: false });
    try {
      await fillWithStudyData(source);
      const file = path.join(dir, `${from}-${to}.jsonl.gz`);
      const written = await writeBackup(source.sql, file);
      expect(written.Response).toBe(1205);
      const restored = await restoreBackup(target.sql, file);
      expect(restored).toEqual(Object.fromEntries(Object.entries(written).filter(([, n]) => n > 0)));
      expect(await snapshot(target)).toEqual(await snapshot(source));
      // The restored copy is a working database: Prisma reads it and its constraints hold.
      expect(await target.prisma.answer.count({ where: { choiceIds: { has: "other" } } })).toBe(20);
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});

describe.each(MODES)("restore safety (%s)", (mode) => {
  it("restores nothing from a truncated backup and refuses a non-empty database", { timeout: 180_000 }, async () => {
    const source = await freshDatabase(mode);
    const target = await freshDatabase(mode, { migrate: false });
    try {
      await fillWithStudyData(source);
      const file = path.join(dir, `full-${mode}.jsonl.gz`);
      await writeBackup(source.sql, file);
      const lines = gunzipSync(fs.readFileSync(file)).toString("utf8").trimEnd().split("\n");
      const truncated = path.join(dir, `truncated-${mode}.jsonl.gz`);
      fs.writeFileSync(truncated, gzipSync(lines.slice(0, -1).join("\n") + "\n"));

      await expect(restoreBackup(target.sql, truncated)).rejects.toThrow(/incomplete/);
      expect(await target.prisma.user.count()).toBe(0);
      expect(await target.prisma.response.count()).toBe(0);

      await expect(restoreBackup(source.sql, file)).rejects.toThrow(BackupRestoreError);
      const garbage = path.join(dir, "garbage.jsonl.gz");
      fs.writeFileSync(garbage, "not a backup");
      await expect(restoreBackup(target.sql, garbage)).rejects.toThrow(/not a VarStudy backup/);
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});
