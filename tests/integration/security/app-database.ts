import { freshDatabase, type Mode } from "../database-modes";

export type TestDatabase = Awaited<ReturnType<typeof freshDatabase>>;

const holder = globalThis as unknown as { varstudyDatabase?: Promise<unknown> };

/**
 * A fresh database that the app's own code opens (getDatabase in lib/db reads this global), as if the server had
 * opened it: the route handlers and server actions the security tests call then run against it.
 */
export async function openAppDatabase(mode: Mode = "embedded"): Promise<TestDatabase> {
  const db = await freshDatabase(mode);
  holder.varstudyDatabase = Promise.resolve(db);
  return db;
}

/** Takes the database away from the app's code and drops it. */
export async function closeAppDatabase(db: TestDatabase | undefined): Promise<void> {
  delete holder.varstudyDatabase;
  await db?.drop();
}
