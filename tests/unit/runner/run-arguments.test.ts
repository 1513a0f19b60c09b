import { describe, expect, it } from "vitest";
import { jobRequestSchema, runnerArguments } from "@/lib/jobs/request";
import { parseRunOptions, RunArgumentError, runRequestFromOptions } from "@/lib/runner/run-arguments";

/** A job request as the admin's form sends it (strings), turned into the runner's arguments and read back. */
const roundTrip = async (form: Record<string, string>) => {
  const job = jobRequestSchema.parse(form);
  return { job, run: await runRequestFromOptions(parseRunOptions(runnerArguments(job, "tmp/job-out"))) };
};

describe("the runner's arguments: written by the app, read by the CLI's reader", () => {
  it("reads back an ordinary job with every option the form has", async () => {
    const { run } = await roundTrip({ preset: "lenet1-quick", setting: "both", runs: "5", epochs: "3", trainSize: "640", validationSize: "64", testSize: "128", seed: "7", workers: "2" });
    expect(run).toMatchObject({
      preset: "lenet1-quick",
      settings: ["default", "fixed-seed"],
      runs: 5,
      seed: 7,
      workers: 2,
      outDir: "tmp/job-out",
      overrides: { epochs: 3, trainSize: 640, validationSize: 64, testSize: 128 },
      implementations: [],
    });
  });

  it("reads back a cross-implementation job: its implementations and repeats, not a run count", async () => {
    const { job, run } = await roundTrip({ preset: "lenet1-quick", setting: "cross-implementation", implementations: " wasm , tensorflow:threads=1:onednn=off ", repeats: "3", workers: "1" });
    expect(run.settings).toEqual(["cross-implementation"]);
    expect(run.implementations).toEqual([{ backend: "wasm" }, { backend: "tensorflow", threads: 1, onednn: false }]);
    expect(run.repeats).toBe(3);
    expect(job.runs).toBe(run.repeats * run.implementations.length);
  });

  it("refuses what the CLI refuses, naming the option", async () => {
    expect(() => parseRunOptions(["--preset", "lenet1-quick", "--bogus", "1"])).toThrow(RunArgumentError);
    await expect(runRequestFromOptions(parseRunOptions(["--preset", "lenet1-quick", "--out", "x", "--runs", "two"]))).rejects.toThrow("--runs must be a non-negative integer, got 'two'");
    await expect(runRequestFromOptions(parseRunOptions(["--preset", "lenet1-quick", "--out", "x", "--setting", "default", "--repeats", "2"]))).rejects.toThrow(
      "--implementations and --repeats apply to --setting cross-implementation only",
    );
    await expect(runRequestFromOptions(parseRunOptions(["--out", "x"]))).rejects.toThrow("--preset is required");
  });
});
