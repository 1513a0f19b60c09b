import { freshDatabase } from "../database-modes";
import { buildMatrixContext, type MatrixContext } from "./matrix-context";

/**
 * One seeded database for the security suites that can share it (page access, malformed input, object level,
 * CSV exports; see security.test.ts): the demo seed takes long enough on a busy machine that building it once
 * instead of four times matters. The authorization matrix keeps its own, because its admin calls change a lot.
 */
type World = { db: Awaited<ReturnType<typeof freshDatabase>>; ctx: MatrixContext };

let world: Promise<World> | undefined;

export function sharedWorld(): Promise<World> {
  world ??= (async () => {
    const db = await freshDatabase("embedded");
    (globalThis as unknown as { varstudyDatabase?: Promise<unknown> }).varstudyDatabase = Promise.resolve(db);
    return { db, ctx: await buildMatrixContext(db) };
  })();
  return world;
}

export async function dropSharedWorld(): Promise<void> {
  if (!world) return;
  const { db } = await world;
  world = undefined;
  delete (globalThis as unknown as { varstudyDatabase?: unknown }).varstudyDatabase;
  await db.drop();
}
