import path from "node:path";
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseResultLine, type LineError } from "@/lib/runner/results-io";
import { runKey, type RunFailure, type RunResult } from "@/lib/runner/result-schema";

/**
 * Loading the runner's results (JSON Lines, lib/runner/result-schema.ts) into ExperimentSet/ExperimentRun.
 * The runner's set id is the ExperimentSet id and (setId, runIndex) is unique, so importing the same runs again
 * (a re-uploaded file, shards merged twice, a job that resumed) changes nothing.
 */

/**
 * Who imports. A signed-in user is checked against `experiments.manage`. The two non-user importers have
 * direct access to the database anyway, so there is nothing to check: the operator at a terminal
 * (`npm run variance -- import`) and the app's own background-job monitor importing a job's results.
 */
export type ImportActor = Actor | { system: "command-line" } | { system: "runner-job"; jobId: string; startedBy: Actor | null };

export const COMMAND_LINE_IMPORTER: ImportActor = { system: "command-line" };

export type ImportOutcome = {
  /** Runs written now. */
  imported: number;
  /** Runs whose (set, run index) was already in the database; left as they were. */
  alreadyPresent: number;
  /** Set ids touched, in order. */
  sets: string[];
};

/** Largest transaction the import allows itself (ms); a full study set of 16 long runs is a few MB of JSON. */
const IMPORT_TRANSACTION_TIMEOUT_MS = 120_000;

function userOf(actor: ImportActor): Actor | null {
  if ("system" in actor) return actor.system === "runner-job" ? actor.startedBy : null;
  return actor;
}

/**
 * Imports validated runs in one transaction: either every run (and its set) is written, or, if anything fails
 * or the process dies, nothing is. Existing runs are kept untouched (idempotent re-import).
 * @param input.runs runs that passed runResultSchema (use parseResultsText or readResultsDirectory first).
 * @param input.studyId the study the sets belong to (chosen by the user: lib/db/experiment-studies.ts). A set
 *   that exists already in another study is refused (nothing written): moving it is a separate, audited action.
 * @param input.source where they came from, recorded in the audit log ("upload results.jsonl", a directory, a job).
 * @throws AppError FORBIDDEN for a user without experiments.manage; AppError(INVALID_INPUT) for an empty import.
 */
export async function importRunResults(
  db: Database,
  actor: ImportActor,
  input: { runs: readonly RunResult[]; studyId: string; source?: string },
): Promise<ImportOutcome> {
  if (!("system" in actor)) assertCan(actor, "experiments.manage");
  if (input.runs.length === 0) throw new AppError("INVALID_INPUT", "There are no valid runs to import.");
  const keys = new Set<string>();
  const runs = input.runs.filter((run) => (keys.has(runKey(run)) ? false : (keys.add(runKey(run)), true)));
  const sets = [...new Set(runs.map((run) => run.setId))];
  return db.prisma.$transaction(
    async (tx) => {
      const elsewhere = await tx.experimentSet.findMany({ where: { id: { in: sets }, NOT: { studyId: input.studyId } }, select: { id: true, study: { select: { slug: true } } } });
      if (elsewhere.length > 0) {
        const first = elsewhere[0]!;
        throw new AppError(
          "CONFLICT",
          `Set ${first.id} belongs to ${first.study ? `study "${first.study.slug}"` : "no study"}${elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more set(s) too)` : ""}; nothing was imported. Move it to this study first (Experiments → the set → Move), or import into its study.`,
        );
      }
      for (const setId of sets) {
        const first = runs.find((run) => run.setId === setId)!;
        await tx.experimentSet.upsert({
          where: { id: setId },
          update: {},
          create: {
            id: setId,
            studyId: input.studyId,
            preset: first.preset,
            setting: first.setting,
            backend: first.environment.backend,
            command: first.command,
          },
        });
      }
      const created = await tx.experimentRun.createMany({
        data: runs.map((run) => ({
          setId: run.setId,
          runIndex: run.runIndex,
          result: run as unknown as Prisma.InputJsonValue,
          bestLossTestAccuracy: run.checkpoints.bestLoss.test.accuracy,
          bestAccTestAccuracy: run.checkpoints.bestAccuracy.test.accuracy,
          bestLossSeconds: run.checkpoints.bestLoss.seconds,
          bestAccSeconds: run.checkpoints.bestAccuracy.seconds,
          finalWeightsSha256: run.finalWeightsSha256,
        })),
        skipDuplicates: true,
      });
      const outcome: ImportOutcome = { imported: created.count, alreadyPresent: runs.length - created.count, sets };
      await recordAudit(tx, userOf(actor), "experiments.import", sets.join(", "), {
        via: "system" in actor ? actor.system : "app",
        ...("system" in actor && actor.system === "runner-job" ? { jobId: actor.jobId } : {}),
        source: input.source ?? null,
        studyId: input.studyId,
        imported: outcome.imported,
        alreadyPresent: outcome.alreadyPresent,
      });
      return outcome;
    },
    { timeout: IMPORT_TRANSACTION_TIMEOUT_MS, maxWait: IMPORT_TRANSACTION_TIMEOUT_MS },
  );
}

export type ParsedResults = {
  runs: RunResult[];
  failures: RunFailure[];
  /** Rejected lines with their 1-based line number and reason. */
  errors: LineError[];
  /** Non-empty lines read. */
  lines: number;
};

/**
 * Validates an uploaded results file line by line with the runner's own schema (so the app and the CLI
 * accept exactly the same files). Duplicate run keys keep the first copy, as the runner's reader does.
 * @param text the file's content (JSON Lines).
 * @param fileName shown in line errors.
 */
export function parseResultsText(text: string, fileName: string): ParsedResults {
  const runs = new Map<string, RunResult>();
  const failures = new Map<string, RunFailure>();
  const errors: LineError[] = [];
  let lines = 0;
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    lines += 1;
    const parsed = parseResultLine(line.replace(/\r$/, ""));
    if (!parsed.ok) return void errors.push({ file: fileName, line: index + 1, message: parsed.message });
    const key = runKey(parsed.value);
    if (parsed.value.kind === "failure") return void failures.set(key, parsed.value);
    if (!runs.has(key)) runs.set(key, parsed.value);
  });
  for (const key of runs.keys()) failures.delete(key);
  return { runs: [...runs.values()], failures: [...failures.values()], errors, lines };
}

/** Most line errors an upload reports one by one; the rest are counted. */
export const MAX_REPORTED_LINE_ERRORS = 20;

export type UploadOutcome =
  | { ok: true; outcome: ImportOutcome; skippedLines: LineError[]; failures: number }
  | { ok: false; error: string; lineErrors: LineError[]; validRuns: number };

/**
 * The Experiments page's upload: validates the file and imports it all-or-nothing, unless the admin asked to
 * import the valid lines despite errors. Nothing is written when the answer is `ok: false`.
 */
export async function importResultsUpload(
  db: Database,
  actor: Actor,
  input: { text: string; fileName: string; importValidDespiteErrors: boolean; studyId: string },
): Promise<UploadOutcome> {
  assertCan(actor, "experiments.manage");
  const parsed = parseResultsText(input.text, input.fileName);
  if (parsed.lines === 0) return { ok: false, error: `${input.fileName} is empty: expected one JSON object per line.`, lineErrors: [], validRuns: 0 };
  if (parsed.errors.length > 0 && !input.importValidDespiteErrors) {
    return {
      ok: false,
      error: `${parsed.errors.length} of ${parsed.lines} line(s) were rejected, so nothing was imported. Fix the file, or tick "Import the valid lines" to import the ${parsed.runs.length} valid run(s).`,
      lineErrors: parsed.errors.slice(0, MAX_REPORTED_LINE_ERRORS),
      validRuns: parsed.runs.length,
    };
  }
  if (parsed.runs.length === 0) {
    const onlyFailures = parsed.failures.length > 0 ? ` (${parsed.failures.length} line(s) record failed runs, which are not imported)` : "";
    return { ok: false, error: `${input.fileName} has no valid finished runs${onlyFailures}; nothing was imported.`, lineErrors: parsed.errors.slice(0, MAX_REPORTED_LINE_ERRORS), validRuns: 0 };
  }
  const outcome = await importRunResults(db, actor, { runs: parsed.runs, studyId: input.studyId, source: `upload ${path.basename(input.fileName)}` });
  return { ok: true, outcome, skippedLines: parsed.errors.slice(0, MAX_REPORTED_LINE_ERRORS), failures: parsed.failures.length };
}

/**
 * `npm run variance -- import <dir>`: opens the configured database (migrating it if needed) and imports.
 * PGlite is single-process, so when the app server holds the embedded database this refuses before opening
 * it and says what to do instead (stop the app, or upload the results file in the app).
 * @param input.directory shown in the advice about uploading.
 * @throws Error with a one-line message for the CLI.
 */
export async function importRunsFromCommandLine(input: {
  runs: readonly RunResult[];
  directory: string;
  /** `--study <slug>`; may be left out only when the database holds exactly one study. */
  studySlug?: string;
}): Promise<ImportOutcome & { target: string; study: string }> {
  const { databaseTargetFromEnv, describeTarget } = await import("./engine/target");
  const { chooseExperimentStudy } = await import("./experiment-studies");
  const { findEmbeddedOwner, EmbeddedDatabaseBusyError } = await import("./engine/embedded-lock");
  const { openDatabase } = await import("./engine/connection");
  const { applyMigrations } = await import("./engine/migrations");
  const target = databaseTargetFromEnv();
  const busy = (pid: number) =>
    new Error(
      `the embedded database ${target.kind === "embedded" ? target.dataDir : ""} is open in another process (pid ${pid}, usually the running app server); ` +
        `PGlite allows one process only. Either stop the app and run this command again, or sign in as an administrator and upload ` +
        `${path.join(input.directory, "results.jsonl")} under Experiments → "Import a results file" (/admin/experiments).`,
    );
  if (target.kind === "embedded" && target.dataDir) {
    const owner = findEmbeddedOwner(target.dataDir);
    if (owner !== null) throw busy(owner);
  }
  let db: Database;
  try {
    db = await openDatabase(target);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusyError) throw busy(error.ownerPid);
    throw error;
  }
  try {
    await applyMigrations(db.sql);
    const choice = await chooseExperimentStudy(db, input.studySlug);
    if (!choice.ok) throw new Error(`${choice.error.replace(/\.$/, "")} (--study <slug>); nothing was imported.`);
    const outcome = await importRunResults(db, COMMAND_LINE_IMPORTER, { runs: input.runs, studyId: choice.study.id, source: `directory ${input.directory}` });
    return { ...outcome, target: describeTarget(target), study: choice.study.slug };
  } finally {
    await db.close();
  }
}
