import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** Name of the file a job process rewrites with its progress, inside its results directory. */
export const PROGRESS_FILE = "progress.json";

/** What a job reports (the runner's ProgressSnapshot plus its one-line rendering). */
export const jobProgressSchema = z.object({
  phase: z.enum(["running", "finished", "cancelled"]),
  line: z.string(),
  updatedAt: z.string(),
  snapshot: z.object({
    total: z.number(),
    done: z.number(),
    failed: z.number(),
    skipped: z.number(),
    active: z.array(z.object({ label: z.string(), epoch: z.number(), epochs: z.number(), step: z.number(), steps: z.number() })),
    samplesPerSecond: z.number(),
    secondsLeft: z.number().nullable(),
    elapsedSeconds: z.number(),
  }),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/**
 * Reads a job's progress file.
 * @returns the progress, or null while the job has not written one yet (or the file is unreadable: the
 *   writer renames a complete file into place, so a partial read means nothing new to show).
 */
export async function readJobProgress(outDir: string): Promise<JobProgress | null> {
  try {
    const parsed = jobProgressSchema.safeParse(JSON.parse(await readFile(path.join(outDir, PROGRESS_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
