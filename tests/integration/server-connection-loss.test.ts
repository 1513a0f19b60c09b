import { afterEach, describe, expect, it, vi } from "vitest";
import { terminateBackends } from "@/scripts/lib/app-server";
import { freshDatabase, serverAvailable } from "./database-modes";

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(serverAvailable)("server mode when PostgreSQL closes connections", () => {
  it("fails only the transaction whose connection was closed between two statements, and the process lives on", async () => {
    // Without a listener on the checked-out connection this ends the test process with an uncaught 'error'.
    const db = await freshDatabase("server");
    try {
      await db.sql.exec(`CREATE TABLE note (text TEXT)`);
      const attempt = db.sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO note VALUES ('first')`);
        const [backend] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        expect(await terminateBackends({ pid: backend!.pid })).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query(`INSERT INTO note VALUES ('second')`);
      });
      await expect(attempt).rejects.toThrow(/connection|terminat/i);
      expect(await db.sql.query("SELECT count(*)::int AS n FROM note")).toEqual([{ n: 0 }]);
      // The pool discarded the closed connection: a transaction right after works.
      await db.sql.transaction(async (tx) => tx.query(`INSERT INTO note VALUES ('after')`));
      expect(await db.sql.query("SELECT text FROM note")).toEqual([{ text: "after" }]);
    } finally {
      await db.drop();
    }
  });

  it("logs an idle connection closed, keeps the process alive and opens a new connection for the next query", async () => {
    const db = await freshDatabase("server");
    try {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const [database] = await db.sql.query<{ name: string }>("SELECT current_database() AS name");
      // The pool now holds one idle connection; the server ends it as an administrator or a restart would.
      expect(await terminateBackends({ database: database!.name })).toBeGreaterThan(0);

      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringContaining("a connection was closed")));
      expect(await db.sql.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    } finally {
      await db.drop();
    }
  });
});
