import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dataJobSettled, isDataJobRunningHere, startStoredDataJob } from "@/lib/jobs/data-job-runs";

const dirs: string[] = [];
function storedUpload(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-job-"));
  fs.writeFileSync(path.join(dir, "upload"), "data");
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("startStoredDataJob", () => {
  it("removes the stored upload and starts no work when the job's row cannot be written", async () => {
    const dir = storedUpload();
    let started = false;
    const refused = startStoredDataJob("job-refused", dir, () => Promise.reject(new Error("no permission")), async () => {
      started = true;
    });
    await expect(refused).rejects.toThrow("no permission");
    expect(started).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
    expect(isDataJobRunningHere("job-refused")).toBe(false);
  });

  it("keeps the upload while the work runs and removes it when the work has ended", async () => {
    const dir = storedUpload();
    let finish: (() => void) | undefined;
    const job = await startStoredDataJob("job-running", dir, async () => ({ id: "job-running" }), () => new Promise<void>((resolve) => (finish = resolve)));
    expect(job).toEqual({ id: "job-running" });
    expect(isDataJobRunningHere("job-running")).toBe(true);
    expect(fs.existsSync(path.join(dir, "upload"))).toBe(true);
    finish!();
    await dataJobSettled("job-running");
    expect(fs.existsSync(dir)).toBe(false);
    expect(isDataJobRunningHere("job-running")).toBe(false);
  });
});
