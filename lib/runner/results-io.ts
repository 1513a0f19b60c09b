import { appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { RESULT_SCHEMA_VERSION, resultLineSchema, runKey, type ResultLine, type RunFailure, type RunResult } from "./result-schema";
import { findOverlongIn, findUnstorableIn, LIMITS, unstorableMessage, utf8Bytes } from "../validation/limits";
import { formatCount } from "../format";

/** A rejected line, with where it is and why. */
export type LineError = { file: string; line: number; message: string };

export type ParsedLine = { ok: true; value: ResultLine } | { ok: false; message: string };

/**
 * Parses and validates one JSON Lines record.
 * @returns the record, or a one-line reason: invalid JSON, unknown schemaVersion (checked before
 *   anything else so a newer file is never half-read), or the first schema violations with their paths.
 */
export function parseResultLine(text: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "not valid JSON (a broken or truncated line)" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, message: "not a JSON object" };
  // Text PostgreSQL cannot store, or free text no runner writes, would fail the whole import in the database.
  const unstorable = findUnstorableIn(json);
  if (unstorable) return { ok: false, message: unstorableMessage(unstorable.found, `field ${unstorable.path}`).replace(/; remove it and try again\.$/, "") };
  const overlong = findOverlongIn(json, LIMITS.runnerTextChars);
  if (overlong) return { ok: false, message: `field ${overlong.path} has ${formatCount(overlong.length)} characters; at most ${formatCount(LIMITS.runnerTextChars)} are accepted` };
  const setId = (json as { setId?: unknown }).setId;
  if (typeof setId === "string" && utf8Bytes(setId) > LIMITS.runnerSetIdBytes) return { ok: false, message: `setId is longer than ${LIMITS.runnerSetIdBytes} bytes` };
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    return { ok: false, message: `unknown schemaVersion ${JSON.stringify(version)} (this VarStudy reads version ${RESULT_SCHEMA_VERSION})` };
  }
  const parsed = resultLineSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return { ok: false, message: `does not match the result schema: ${issues.join("; ")}` };
}

export type ResultsRead = {
  /** Valid runs, one per run key (the first seen, files read in name order). */
  runs: RunResult[];
  /** Failures for which no successful run of the same key exists. */
  failures: RunFailure[];
  /** Lines that were rejected. */
  errors: LineError[];
  /** Run keys seen more than once; `conflicting` when the copies' final weights differ. */
  duplicates: Array<{ key: string; conflicting: boolean }>;
  files: string[];
};

async function listResultFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".jsonl"))
    .map((entry) => path.join(directory, entry.name))
    .sort();
}

/**
 * Reads every `*.jsonl` file of a results directory (not recursive), validates each line and
 * de-duplicates by run key, so reading the union of shard outputs, or the same output twice, gives
 * the same runs. Empty lines are ignored.
 * @param directory a directory written by `variance run` (or several shards' files copied together).
 * @throws only when the directory itself cannot be read (ENOENT etc.); bad lines are returned in `errors`.
 */
export async function readResultsDirectory(directory: string): Promise<ResultsRead> {
  const files = await listResultFiles(directory);
  return readResultFiles(files);
}

/**
 * As readResultsDirectory, for an explicit list of files (read in the given order).
 */
export async function readResultFiles(files: string[]): Promise<ResultsRead> {
  const runs = new Map<string, RunResult>();
  const failures = new Map<string, RunFailure>();
  const errors: LineError[] = [];
  const duplicates = new Map<string, boolean>();
  for (const file of files) {
    const lines = (await readFile(file, "utf8")).split("\n");
    lines.forEach((text, index) => {
      if (text.trim() === "") return;
      const parsed = parseResultLine(text);
      if (!parsed.ok) {
        errors.push({ file, line: index + 1, message: parsed.message });
        return;
      }
      const key = runKey(parsed.value);
      if (parsed.value.kind === "failure") {
        failures.set(key, parsed.value);
        return;
      }
      const existing = runs.get(key);
      if (existing) {
        const conflicting = existing.finalWeightsSha256 !== parsed.value.finalWeightsSha256;
        duplicates.set(key, (duplicates.get(key) ?? false) || conflicting);
        return;
      }
      runs.set(key, parsed.value);
    });
  }
  for (const key of runs.keys()) failures.delete(key);
  return {
    runs: [...runs.values()].sort((a, b) => (a.setId === b.setId ? a.runIndex - b.runIndex : a.setId < b.setId ? -1 : 1)),
    failures: [...failures.values()],
    errors,
    duplicates: [...duplicates].map(([key, conflicting]) => ({ key, conflicting })),
    files,
  };
}

/**
 * Decides what an import may load: nothing when any line was rejected (with a message that names the
 * first problems), unless `importValidDespiteErrors` is set, in which case the valid runs.
 * @returns runs to import, or a one-line error for the user.
 */
export function selectRunsToImport(
  read: ResultsRead,
  options: { importValidDespiteErrors: boolean },
): { ok: true; runs: RunResult[]; skippedLines: number } | { ok: false; error: string } {
  if (read.errors.length > 0 && !options.importValidDespiteErrors) {
    const first = read.errors
      .slice(0, 3)
      .map((error) => `${path.basename(error.file)}:${error.line} ${error.message}`)
      .join(" | ");
    return {
      ok: false,
      error: `${read.errors.length} line(s) rejected (${first}); nothing imported. Fix them or ask to import the ${read.runs.length} valid run(s) anyway.`,
    };
  }
  return { ok: true, runs: read.runs, skippedLines: read.errors.length };
}

/**
 * Appends one record as a single line. The record is validated first so a results file never gets a
 * line its own reader would reject. One write call per line: an interrupt can at worst truncate the
 * last line, which the reader reports and the resume logic re-runs.
 * @throws Error when the record does not match the schema (a programming error).
 */
export async function appendResultLine(file: string, line: ResultLine): Promise<void> {
  const checked = resultLineSchema.parse(line);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(checked)}\n`, "utf8");
}

/**
 * Merges result directories into one file, idempotently: runs whose key is already in `outputFile` (or
 * earlier in the inputs) are not written again, so merging the same shards twice, or merging after a
 * failed shard was re-run, yields each run once.
 * @returns how many runs were written and what was rejected or duplicated on the way.
 */
export async function mergeResultDirectories(options: { inputs: string[]; outputFile: string }): Promise<{
  written: number;
  alreadyPresent: number;
  errors: LineError[];
  conflicts: string[];
}> {
  const existing = await readResultFiles(await existingFile(options.outputFile));
  const present = new Set(existing.runs.map(runKey));
  const inputFiles: string[] = [];
  for (const input of options.inputs) {
    for (const file of await listResultFiles(input)) if (path.resolve(file) !== path.resolve(options.outputFile)) inputFiles.push(file);
  }
  const incoming = await readResultFiles(inputFiles);
  let written = 0;
  let alreadyPresent = 0;
  for (const run of incoming.runs) {
    if (present.has(runKey(run))) {
      alreadyPresent += 1;
      continue;
    }
    await appendResultLine(options.outputFile, run);
    present.add(runKey(run));
    written += 1;
  }
  return {
    written,
    alreadyPresent,
    errors: [...existing.errors, ...incoming.errors],
    conflicts: incoming.duplicates.filter((duplicate) => duplicate.conflicting).map((duplicate) => duplicate.key),
  };
}

async function existingFile(file: string): Promise<string[]> {
  try {
    await readFile(file);
    return [file];
  } catch {
    return [];
  }
}
