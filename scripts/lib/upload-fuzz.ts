/**
 * The upload routes' part of `npm run fuzz:importers -- --http N`: mutated files (the importers' mutations, on
 * seeds given fresh ids so that valid files are accepted again) posted as multipart uploads with the admin's
 * session, then a cross-site post and an oversized file. Every answer must be JSON: a 2xx, or a 4xx with a reason
 * that names a line/row (or is about the whole file); never a 5xx, never no answer. A response import answers 202
 * with a job, whose outcome is followed as the page does. What each accepted upload reported writing is summed, so
 * the caller can compare it with the database afterwards (no partial writes).
 */
import type { Rng } from "@/lib/stats/random";
import { describeFetchError, type SignedInClient } from "./app-client";
import { FILE_LEVEL, MUTATIONS } from "./importer-fuzz";

export type UploadRoute = {
  route: string;
  /** The route with ids replaced, for the report. */
  label: string;
  seeds: string[];
  freshen: (text: string, unique: string) => string;
  /** Form fields; `index` lets a route alternate (the response import's preview and import). */
  fields: (index: number) => Record<string, string>;
  oversizeMb: number;
  /** Rows an accepted answer reports written (0 for a preview); a job's rows come from the job. */
  rowsWritten: (json: Record<string, unknown>) => number;
  /** Requests that are dry runs (the response import's preview): they answer 200 whether or not the file would do. */
  dryRun?: (index: number) => boolean;
  /** Where a 202's job is followed; unused while a route answers when done. */
  jobPath?: (jobId: string) => string;
};

export type UploadTally = {
  route: string;
  files: number;
  accepted: number;
  rejected: number;
  /** Rows the accepted uploads (and succeeded jobs) said they wrote. */
  rowsReported: number;
  oversizedRefused: boolean;
  crossSiteRefused: boolean;
  failures: string[];
};

type ImportJobState = { status: string; message: string | null; rowsWritten: number; result: { kind: string; imported?: number; errors?: unknown[]; report?: { counts?: { new?: number } } } | null };

const encoder = new TextEncoder();
const pickInt = (rng: Rng, n: number) => Math.floor(rng() * n);
/** Refusals of the request rather than of a line of the file (no file, over the size limit, wrong site, signed out). */
const REQUEST_LEVEL = /choose|larger than|other sites|session|could not be read|missing its study|unknown format|mapping/i;

/** A refusal's reason, and whether it names a line/row/entry or is about the whole file or request. */
function reasonOf(json: Record<string, unknown>): { text: string; located: boolean } {
  const errors = Array.isArray(json.errors) ? json.errors : Array.isArray(json.lineErrors) ? json.lineErrors : [];
  const messages = errors.map((error) => (typeof error === "string" ? error : typeof error === "object" && error && "message" in error ? String(error.message) : ""));
  const text = [typeof json.error === "string" ? json.error : typeof json.message === "string" ? json.message : "", ...messages].filter(Boolean).join("; ");
  const numbered = errors.some((error) => typeof error === "object" && error !== null && ["row", "line"].some((key) => typeof (error as Record<string, unknown>)[key] === "number" && ((error as Record<string, number>)[key] ?? 0) > 0));
  return { text, located: numbered || /\b(line|row|entry|column)s? \d+/i.test(text) || FILE_LEVEL.test(text) || REQUEST_LEVEL.test(text) };
}

export async function fuzzUploadRoute(
  admin: SignedInClient,
  route: UploadRoute,
  options: { files: number; seed: number; rng: Rng; deadline: number; onFile?: (index: number) => void },
): Promise<UploadTally> {
  const tally: UploadTally = { route: route.label, files: 0, accepted: 0, rejected: 0, rowsReported: 0, oversizedRefused: false, crossSiteRefused: false, failures: [] };
  const names = Object.keys(MUTATIONS);
  const judgeRefusal = (label: string, json: Record<string, unknown>) => {
    const reason = reasonOf(json);
    if (!reason.text.trim()) tally.failures.push(`${label}: refused without a reason`);
    else if (!reason.located) tally.failures.push(`${label}: refused without a line/row: ${reason.text.slice(0, 200)}`);
  };
  /** An import that answers 202 with a job: its outcome is the job's, followed as the page does. */
  const followJob = async (jobPath: string, label: string): Promise<{ ok: boolean; rows: number }> => {
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      let job: ImportJobState | undefined;
      try {
        job = (JSON.parse((await admin.get(jobPath)).text) as { job?: ImportJobState }).job;
      } catch (error) {
        tally.failures.push(`${label}: reading the job got no answer (${describeFetchError(error)})`);
        continue;
      }
      if (!job || job.status === "RUNNING" || job.status === "QUEUED") continue;
      // Responses report what they imported, papers (as a job) the new papers of their report.
      if (job.status === "SUCCEEDED") return { ok: true, rows: job.result?.imported ?? job.result?.report?.counts?.new ?? 0 };
      if (job.status !== "FAILED") tally.failures.push(`${label}: job ended ${job.status}: ${job.message}`);
      else if (job.rowsWritten !== 0) tally.failures.push(`${label}: failed job reports ${job.rowsWritten} rows written`);
      else judgeRefusal(`${label} (job)`, { message: job.message, errors: job.result?.errors ?? [] });
      return { ok: false, rows: 0 };
    }
    tally.failures.push(`${label}: job did not end within 10 minutes`);
    return { ok: false, rows: 0 };
  };
  const send = async (bytes: Uint8Array, label: string, index: number, headers: Record<string, string> = {}): Promise<{ status: number; ok: boolean; text: string }> => {
    let result: { status: number; text: string };
    try {
      result = await admin.upload(route.route, { fields: route.fields(index), bytes, fileName: "upload.txt", headers });
    } catch (error) {
      tally.failures.push(`${label}: no answer (${describeFetchError(error)})`);
      return { status: 0, ok: false, text: "" };
    }
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(result.text) as Record<string, unknown>;
    } catch {
      // not JSON: a failure below
    }
    if (result.status >= 500 || json === null || typeof json.ok !== "boolean") {
      tally.failures.push(`${label}: ${result.status} ${result.text.slice(0, 160)}`);
      return { status: result.status, ok: false, text: result.text };
    }
    if (json.ok === false) {
      if (result.status < 400 && !route.dryRun?.(index)) tally.failures.push(`${label}: refused with status ${result.status}`);
      judgeRefusal(label, json);
      return { status: result.status, ok: false, text: result.text };
    }
    const job = json.job as { id?: string } | undefined;
    if (result.status === 202 && job?.id && route.jobPath) {
      const outcome = await followJob(route.jobPath(job.id), label);
      tally.rowsReported += outcome.rows;
      return { status: result.status, ok: outcome.ok, text: result.text };
    }
    // A preview's dry run may refuse the file inside an ok answer: its errors must be located too.
    const check = json.check as { ok?: boolean; errors?: unknown[] } | undefined;
    if (check?.ok === false) judgeRefusal(`${label} (preview check)`, { errors: check.errors ?? [] });
    tally.rowsReported += route.rowsWritten(json);
    return { status: result.status, ok: true, text: result.text };
  };

  for (let i = 0; i < options.files && Date.now() < options.deadline; i += 1) {
    options.onFile?.(i);
    const seed = route.seeds[i % route.seeds.length]!;
    let bytes: Uint8Array = encoder.encode(route.freshen(seed, `h${options.seed.toString(36)}${i.toString(36)}`));
    const applied: string[] = [];
    if (i % 5 !== 0) {
      for (let round = 0; round < (options.rng() < 0.25 ? 2 : 1); round += 1) {
        const name = names[pickInt(options.rng, names.length)]!;
        bytes = MUTATIONS[name]!(bytes, options.rng);
        applied.push(name);
      }
    }
    const outcome = await send(bytes, `#${i} (${applied.join(" + ") || "valid"})`, i);
    tally.files += 1;
    if (outcome.ok) tally.accepted += 1;
    else tally.rejected += 1;
  }
  // The admin's cookie on a post from another site's page: refused before anything is read or written.
  const crossSite = await send(encoder.encode(route.freshen(route.seeds[0]!, `x${options.seed.toString(36)}`)), "cross-site post", 0, { origin: "https://evil.example" });
  tally.crossSiteRefused = crossSite.status === 403;
  if (!tally.crossSiteRefused) tally.failures.push(`cross-site post: ${crossSite.status} ${crossSite.text.slice(0, 160)}`);
  const big = new Uint8Array(route.oversizeMb * 1024 * 1024).fill(0x61);
  const oversized = await send(big, `${route.oversizeMb} MB file`, 0);
  tally.oversizedRefused = oversized.status === 413 && /larger than/i.test(oversized.text);
  if (!tally.oversizedRefused) tally.failures.push(`${route.oversizeMb} MB file: ${oversized.status} ${oversized.text.slice(0, 160)}`);
  return tally;
}
