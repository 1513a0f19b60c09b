import { vi } from "vitest";
import "./request-boundary";

/**
 * The session boundary: ./request-boundary plus next-auth's decoding of the session cookie, which answers the
 * session set with setRequest (./request-context). lib/auth/session, lib/db and every permission check run for
 * real. Import this module first in a test file, before anything from app/ or lib/.
 */
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (await import("./request-context")).requestState().session,
}));
