import { afterAll, vi } from "vitest";

// The session boundary only (see authorization-matrix.test.ts): next-auth's decoding of the session cookie, the
// request's cookies and headers, and Next's cache invalidation. Everything behind them runs for real.
vi.mock("server-only", () => ({}));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (await import("./request-context")).requestState().session,
}));
vi.mock("next/headers", async () => {
  const context = await import("./request-context");
  return { cookies: async () => context.cookieJar(), headers: async () => context.requestState().headers };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

import { dropSharedWorld } from "./world";
// The suites share one seeded database (./world.ts), in this order: read-only ones first, those that add data last.
import "./page-access.suite";
import "./malformed-input.suite";
import "./object-level.suite";
import "./csv-exports.suite";

afterAll(dropSharedWorld);
