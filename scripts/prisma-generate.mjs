// `prisma generate` needs no schema engine, yet Prisma looks for one and tries to download it when none is
// found, which fails offline. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file (here: node itself)
// satisfies the look-up; generate never runs it.
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
