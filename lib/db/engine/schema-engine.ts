import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Database } from "./connection";

/**
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), driven through our driver
 * adapters. It needs no download, so it works where the native engine cannot be fetched. Used by the drift test
 * and by `npm run db:new-migration`; the app never loads it.
 */

export const SCHEMA_FILE = path.join(process.cwd(), "prisma", "schema.prisma");
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type WasmSchemaEngine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

let bindings: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } }> | null = null;

function loadBindings() {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    (glue as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue as unknown as { SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } };
  })();
  return bindings;
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: string,
  fn: (engine: WasmSchemaEngine, files: Array<{ path: string; content: string }>) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const files = [{ path: "schema.prisma", content: schema }];
  const engine = await SchemaEngine.new(
    { datamodels: files.map((file) => [file.path, file.content]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await fn(engine, files);
  } finally {
    engine.free();
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The schema engine reads catalog columns of PostgreSQL's one-byte type "char" (e.g. pg_constraint.contype),
 * which @prisma/adapter-pg 7.10 does not map and rejects. This client reports them as text, which is what they
 * hold. Only the schema engine's own connections use it.
 */
class CharAsTextClient extends pg.Client {
  // pg's overloads are many; both the promise and the callback forms are covered.
  override query(...args: unknown[]): never {
    const fix = (res: pg.QueryResult | undefined) => {
      for (const field of res?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return res;
    };
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, res: pg.QueryResult) => (last as (e: unknown, r: unknown) => void)(error, fix(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") return (result as Promise<pg.QueryResult>).then(fix) as never;
    return result as never;
  }
}

/** Runs fn with an adapter the schema engine can use for this database. */
async function withSchemaEngineAdapter<T>(db: Database, fn: (factory: SqlMigrationAwareDriverAdapterFactory) => Promise<T>): Promise<T> {
  if (db.target.kind === "embedded") return fn(db.adapterFactory);
  const pool = new pg.Pool({ connectionString: db.target.url, max: 2, Client: CharAsTextClient });
  try {
    return await fn(new PrismaPg(pool));
  } finally {
    await pool.end();
  }
}

/**
 * What the connected database lacks or has in excess compared with the schema, as Prisma's human-readable
 * summary; `inSync` is true when there is nothing to change.
 */
export async function diffDatabaseAgainstSchema(
  db: Database,
  schema: string = fs.readFileSync(SCHEMA_FILE, "utf8"),
): Promise<{ inSync: boolean; summary: string; script: string }> {
  return withSchemaEngineAdapter(db, (adapterFactory) => withEngine(adapterFactory, schema, async (engine, files) => {
    const from = { tag: "schemaDatasource", files, configDir: process.cwd() };
    const to = { tag: "schemaDatamodel", files };
    const summary = await engine.diff({ from, to, script: false, exitCode: true, filters: NO_FILTERS });
    const script = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTERS });
    const inSync = summary.exitCode === 0;
    return { inSync, summary: inSync ? "" : (summary.stdout ?? "").trim(), script: inSync ? "" : (script.stdout ?? "") };
  }));
}
