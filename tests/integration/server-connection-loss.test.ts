import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshDatabase, SERVER_URL, serverAvailable } from "./database-modes";

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(serverAvailable)("server mode when PostgreSQL closes idle connections", () => {
  it("logs it, keeps the process alive and opens a new connection for the next query", async () => {
    const db = await freshDatabase("server");
    try {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const [database] = await db.sql.query<{ name: string }>("SELECT current_database() AS name");
      // The pool now holds one idle connection; the server ends it as an administrator or a restart would.
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      const terminated = await admin.query<{ count: string }>(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS count FROM pg_stat_activity WHERE datname = $1",
        [database!.name],
      );
      await admin.end();
      expect(Number(terminated.rows[0]!.count)).toBeGreaterThan(0);

      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringContaining("an idle connection was closed")));
      expect(await db.sql.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    } finally {
      await db.drop();
    }
  });
});
