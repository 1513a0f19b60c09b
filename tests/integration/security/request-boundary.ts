import { vi } from "vitest";

/**
 * The request boundary, mocked for the security tests: Next's request cookies and headers (read from
 * ./request-context), its cache invalidation (which needs a running server) and the server-only marker.
 * Everything behind them runs for real. Import this module first in a test file, before anything from app/ or
 * lib/, so the mocks are in place when those modules load.
 */
vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => {
  const context = await import("./request-context");
  return { cookies: async () => context.cookieJar(), headers: async () => context.requestState().headers };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
