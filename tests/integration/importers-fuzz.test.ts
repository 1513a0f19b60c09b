import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { fuzzImporters, type FuzzTally } from "@/scripts/lib/importer-fuzz";
import { freshDatabase, MODES } from "./database-modes";

/**
 * The short, deterministic form of `npm run fuzz:importers`: every importer gets valid and mutated files through
 * the lib/db import functions; each file must be accepted whole or rejected with a reason (and a line/row for
 * errors inside the file) and write nothing, and no exception may escape. The full run is in docs/reliability.md.
 */
const FILES_PER_IMPORTER = 18;

describe.each(MODES)("importer fuzzing (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let tallies: FuzzTally[];

  beforeAll(async () => {
    db = await freshDatabase(mode);
    const user = await db.prisma.user.create({ data: { email: "fuzz@example.org", name: "Fuzz", role: "ADMIN", canAdjudicate: true } });
    admin = { id: user.id, role: "ADMIN", canAdjudicate: true };
    // Seed 15: with the mutations of issue 23 every importer gets accepted and rejected files (seed 11 no longer gave BibTeX a rejection).
    tallies = await fuzzImporters(db, admin, { files: FILES_PER_IMPORTER, seed: 15 });
  }, 240_000);
  afterAll(async () => db?.drop());

  it("covers all six importers with both accepted and rejected files", () => {
    expect(tallies.map((tally) => tally.importer)).toEqual([
      "questionnaire definition (YAML)",
      "response CSV (Qualtrics)",
      "BibTeX",
      "RIS",
      "paper CSV",
      "runner results (JSON Lines)",
    ]);
    for (const tally of tallies) {
      expect(tally.files).toBe(FILES_PER_IMPORTER);
      expect(tally.accepted, `${tally.importer} accepted none`).toBeGreaterThan(0);
      expect(tally.rejected, `${tally.importer} rejected none`).toBeGreaterThan(0);
    }
  });

  it("never crashes, writes all or nothing, and names the line or the reason of every rejection", () => {
    expect(tallies.flatMap((tally) => tally.failures)).toEqual([]);
  });
});
