import { randomBytes } from "node:crypto";
import { openDatabase } from "@/lib/db/engine/connection";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { seedDemo } from "@/lib/db/seed/demo";
import { databaseTargetFromEnv, describeTarget } from "@/lib/db/engine/target";
import { runScript } from "./lib/run-script";

const HELP = `Usage: npm run db:seed [-- --no-demo-responses]

Seeds a demo study into the database (migrating it first): an administrator, annotators, and whatever demo
content the installed modules provide, including 1,021 synthetic survey responses in one labelled import (901
completed, with the reference study's Q20/Q26 distribution) so the dashboard has results to show.
Idempotent: what exists is kept, and nothing is duplicated. The admin's password is printed once, when the
account is created; set VARSTUDY_DEMO_ADMIN_PASSWORD to choose it.

  --no-demo-responses   seed everything but the synthetic responses (the end-to-end tests' servers)`;

runScript(HELP, async (argv) => {
  const unknown = argv.filter((arg) => arg !== "--no-demo-responses");
  if (unknown.length > 0) throw new Error(`unknown argument "${unknown[0]}" (see --help).`);
  const target = databaseTargetFromEnv();
  const db = await openDatabase(target);
  try {
    await applyMigrations(db.sql);
    const password = process.env.VARSTUDY_DEMO_ADMIN_PASSWORD || randomBytes(9).toString("base64url");
    const report = await seedDemo(db, { adminPassword: password, demoResponses: !argv.includes("--no-demo-responses") });
    console.log(`Seeded ${describeTarget(target)}.`);
    for (const line of report) console.log(`  ${line}`);
  } finally {
    await db.close();
  }
});
