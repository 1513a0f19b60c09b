import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The session boundary only (./session-boundary.ts): next-auth's decoding of the session cookie, the request's
// cookies and headers, and Next's cache invalidation. lib/auth/session, lib/db and every permission check run for real.
import "./session-boundary";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./app-database";
import { discoverEndpoints } from "./discover";
import { MATRIX, ROLES, type MatrixCase } from "./matrix";
import { buildMatrixContext, databaseFingerprint, type MatrixContext } from "./matrix-context";

/**
 * Every server action and route handler, called as every role against a real (embedded) database. A call
 * allowed by the matrix must succeed; any other must be refused with a message, return none of the data the
 * admin could see, and leave every table exactly as it was.
 */
describe("authorization matrix", () => {
  it("has an entry for every server action and route handler in app/, and none for things that do not exist", () => {
    const found = discoverEndpoints();
    expect(found.inlineActionFiles, "inline \"use server\" actions cannot be enumerated; move them into an actions.ts").toEqual([]);
    const endpoints = [...found.actions, ...found.handlers];
    expect(endpoints.length).toBeGreaterThan(20);
    const missing = endpoints.filter((endpoint) => !(endpoint in MATRIX));
    expect(missing, "add these to tests/integration/security/matrix.ts with the roles allowed").toEqual([]);
    const stale = Object.keys(MATRIX).filter((endpoint) => !endpoints.includes(endpoint));
    expect(stale, "these matrix entries name no action or handler").toEqual([]);
  });

  it("excludes only next-auth's own handler, with a reason", () => {
    const excluded = Object.entries(MATRIX).filter(([, entry]) => "excluded" in entry);
    expect(excluded.map(([endpoint]) => endpoint).sort()).toEqual(["app/api/auth/[...nextauth]/route.ts#GET", "app/api/auth/[...nextauth]/route.ts#POST"]);
    for (const [, entry] of excluded) expect("excluded" in entry && entry.excluded.length).toBeGreaterThan(20);
  });

  describe("calls as each role (embedded database)", () => {
    let db: TestDatabase;
    let ctx: MatrixContext;
    /** Text that only someone allowed to read the data would see. */
    let secrets: string[];

    beforeAll(async () => {
      db = await openAppDatabase();
      ctx = await buildMatrixContext(db);
      const paper = await db.prisma.paper.findFirstOrThrow({ where: { studyId: ctx.ids.study }, orderBy: { title: "asc" } });
      const coding = await db.prisma.coding.findFirstOrThrow({ where: { note: { not: null } } });
      secrets = [ctx.users.admin.email, "olga@varstudy.local", paper.title, ctx.ids.experimentSet, coding.note!, "Where do you mainly work"];
    }, 240_000);
    afterAll(async () => {
      await ctx?.stopStartedJobs();
      await closeAppDatabase(db);
    });

    const cases: Array<[string, MatrixCase]> = Object.entries(MATRIX).flatMap(([endpoint, entry]) =>
      "cases" in entry ? entry.cases.map((matrixCase): [string, MatrixCase] => [`${endpoint} (${matrixCase.name})`, matrixCase]) : [],
    );

    it.each(cases)("%s", async (_title, matrixCase) => {
      for (const role of ROLES) {
        ctx.enter(role);
        const before = await databaseFingerprint(db);
        const outcome = await matrixCase.call(ctx, role);
        const label = `${matrixCase.name} as ${role}`;
        if (matrixCase.allowed.includes(role)) {
          expect(outcome.kind, `${label} should be allowed: ${JSON.stringify(outcome)}`).toBe("allowed");
          if (role === "admin" && !matrixCase.unaudited) {
            // Whatever an admin changes leaves a trace in the audit log (who, what, when).
            const after = await databaseFingerprint(db);
            const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
            if (changed.length > 0) expect(changed, `${label} changed data without an audit entry`).toContain("AuditEntry");
          }
          continue;
        }
        expect(outcome.kind, `${label} should be refused: ${JSON.stringify(outcome)}`).toBe("refused");
        if (outcome.kind !== "refused") continue;
        expect(outcome.message, `${label}: a refusal says why`).not.toBe("");
        for (const secret of secrets) expect(outcome.body, `${label} leaked data`).not.toContain(secret);
        const after = await databaseFingerprint(db);
        const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
        expect(changed, `${label} was refused but changed the database`).toEqual([]);
      }
    }, 120_000);
  });
});
