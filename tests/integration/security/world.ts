import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./app-database";
import { buildMatrixContext, type MatrixContext } from "./matrix-context";

/**
 * One seeded database for the security suites that can share it (page access, malformed input, object level,
 * CSV exports; see security.test.ts): the demo seed takes long enough on a busy machine that building it once
 * instead of four times matters. The authorization matrix keeps its own, because its admin calls change a lot.
 */
type World = { db: TestDatabase; ctx: MatrixContext };

let world: Promise<World> | undefined;

export function sharedWorld(): Promise<World> {
  world ??= (async () => {
    const db = await openAppDatabase();
    return { db, ctx: await buildMatrixContext(db) };
  })();
  return world;
}

export async function dropSharedWorld(): Promise<void> {
  if (!world) return;
  const { db } = await world;
  world = undefined;
  await closeAppDatabase(db);
}
