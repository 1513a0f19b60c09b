import { afterAll, beforeAll, describe, expect, it } from "vitest";

// next-auth's own session route (the core handler behind app/api/auth/[...nextauth]) and its JWT run for real; only
// Next's request wrapper is skipped, since next-auth reads next/headers from outside the test's module graph.
import "./request-boundary";
import { encode } from "next-auth/jwt";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./app-database";
import { makeAdmin } from "../survey-helpers";
import { createRequire } from "node:module";
import { authOptions } from "@/lib/auth/options";
import { setUserActive } from "@/lib/db/users";

// next-auth does not export its core handler; it is loaded by file, the same module its route handler calls.
const { AuthHandler } = createRequire(import.meta.url)("../../../node_modules/next-auth/core/index.js") as {
  AuthHandler: (params: { req: Record<string, unknown>; options: unknown }) => Promise<{ body?: unknown }>;
};

process.env.AUTH_SECRET = "session-endpoint-test-secret-0123456789abcdef";

/** Issue 23 item 9: next-auth's /api/auth/session answered an old cookie of a deactivated account with its name and email. */
describe("/api/auth/session (embedded)", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openAppDatabase();
  }, 120_000);
  afterAll(() => closeAppDatabase(db));

  async function sessionFor(token: Record<string, unknown>) {
    const cookie = await encode({ token, secret: process.env.AUTH_SECRET! });
    const response = await AuthHandler({
      req: { action: "session", method: "GET", cookies: { "next-auth.session-token": cookie }, headers: {}, host: "http://localhost:3000" },
      options: authOptions(),
    });
    return response.body as { user?: { name?: string; email?: string }; uid?: string };
  }

  it("gives an active account's current name, and nothing for the same cookie once the account is deactivated", async () => {
    const admin = await makeAdmin(db);
    const other = await db.prisma.user.create({ data: { email: "carol@example.org", name: "Carol Coder", role: "ANNOTATOR" } });
    const token = { uid: other.id, sv: 0, name: "Carol Coder", email: "carol@example.org" };
    expect((await sessionFor(token)).user).toEqual({ name: "Carol Coder", email: "carol@example.org" });
    await setUserActive(db, admin, { userId: other.id, isActive: false });
    const after = await sessionFor(token);
    expect(JSON.stringify(after)).not.toMatch(/Carol|carol@example/);
    expect(after.uid).toBeUndefined();
  });
});
