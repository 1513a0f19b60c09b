import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E, formAlert, shootDesktopAndPhone, signIn } from "./helpers";

const FIXTURE = path.join(process.cwd(), "tests/fixtures/runner/lenet1-quick-tiny/results.jsonl");
const SHOTS = path.join(process.cwd(), "tmp/screenshots/experiments");
/** The demo seed imports every shipped real-digit results file (data/demo/runner/*.jsonl): one Table-2 row per set. */
const DEMO_DIR = path.join(process.cwd(), "data/demo/runner");
const DEMO_SET_COUNT = new Set(
  readdirSync(DEMO_DIR)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) => readFileSync(path.join(DEMO_DIR, name), "utf8").trim().split("\n"))
    .map((line) => (JSON.parse(line) as { setId: string }).setId),
).size;

/** Signs in as the admin and fills the "Start a preset" form for lenet1-quick; the caller sets the rest and starts. */
async function presetForm(page: Page, fields: { setting?: string; runs: string }) {
  await signIn(page, E2E.adminEmail);
  await page.goto("/admin/experiments");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Start a preset" }) });
  await form.getByLabel("Preset", { exact: true }).selectOption("lenet1-quick");
  if (fields.setting) await form.getByLabel("Setting").selectOption(fields.setting);
  await form.getByLabel("Runs per set").fill(fields.runs);
  await form.getByLabel("Parallel workers").fill("1");
  return form;
}

test.describe.configure({ mode: "serial" });

test("the seeded sets appear as the study's Table 2 and 3, with the study's values beside them", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  await page.goto("/admin/experiments");
  await expect(page.getByRole("heading", { name: "Experiments", level: 1 })).toBeVisible();
  const table2 = page.locator("section", { has: page.getByRole("heading", { name: "Accuracy differences (Table 2)" }) });
  await expect(table2.getByRole("row")).toHaveCount(DEMO_SET_COUNT + 1);
  // The shipped sets are labelled as what they are: real runs, computed ahead.
  await expect(page.getByRole("note").first()).toContainText("Demo: real runs of the runner on the 10,000 real MNIST digits");
  // The wasm set (the shipped variance-by-source family has a tensorflow fixed-seed control too).
  const fixedRow = table2.getByRole("row").filter({ hasText: /lenet1-digits\s*fixed-seed/ }).filter({ hasText: "wasm" });
  // Fixed-seed runs on the deterministic backend are bit-identical: zero difference; the study reports 0.1 for LeNet1.
  await expect(fixedRow).toContainText("0.0");
  await expect(fixedRow).toContainText("study 0.1");
  await expect(table2.getByRole("row").filter({ hasText: /lenet1-digits\s*default/ }).filter({ hasText: "wasm" })).toContainText("study 10.8");
  // The cross-implementation sets sit beside the study's fixed-seed value, their Diff measured between implementations:
  // wasm vs cpu (reduced), and wasm vs the native tensorflow backend's thread and oneDNN settings (full configuration).
  const crossRows = table2.getByRole("row").filter({ hasText: /cross-implementation/ });
  for (const implementations of ["wasm vs cpu", "wasm vs tensorflow threads=1 onednn=off vs tensorflow threads=1 onednn=on vs tensorflow threads=2 onednn=off vs tensorflow threads=2 onednn=on"]) {
    const crossRow = crossRows.filter({ hasText: implementations });
    await expect(crossRow).toContainText("between implementations");
    await expect(crossRow).toContainText("study 0.1");
    await expect(crossRow).toContainText("demo, computed ahead");
  }
  await expect(table2.getByRole("row").filter({ hasText: /lenet4-digits\s*default/ })).toContainText("study 10.6");
  await expect(page.getByRole("heading", { name: "Training-time spread (Table 3)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Default vs fixed-seed" })).toBeVisible();
  // Either a statistic or the engine's reason why it is undefined (e.g. tied accuracies), never a blank.
  await expect(page.getByRole("row").filter({ hasText: "best accuracy" }).first()).toContainText(/W = [\d.]+, p = |not defined: /);
  await shootDesktopAndPhone(page, SHOTS, "overview");

  await table2.getByRole("link", { name: "lenet1-digits" }).first().click();
  await expect(page.getByRole("heading", { name: "Per-class differences" })).toBeVisible();
  await expect(page.locator("code.command")).toContainText("npm run variance -- run --preset lenet1-digits");
  await expect(page.getByRole("heading", { name: "Provenance" })).toBeVisible();
  await expect(page.getByText("mnist-digits-10k, 10 classes")).toBeVisible();
  await shootDesktopAndPhone(page, SHOTS, "set");

  // The native-backend cross-implementation set: one row per implementation, with its determinism audit.
  await page.goto("/admin/experiments");
  await table2.getByRole("row").filter({ hasText: "tensorflow threads=2 onednn=on" }).getByRole("link", { name: "lenet1-digits" }).click();
  const implementations = page.locator("section", { has: page.getByRole("heading", { name: "Implementations" }) });
  await expect(implementations.getByRole("row")).toHaveCount(6);
  await expect(implementations.getByRole("row", { name: /tensorflow threads=2 onednn=off/ })).toContainText("one run");
  await expect(page.getByText(/Demo: real runs of the runner/)).toBeVisible();
  await shootDesktopAndPhone(page, SHOTS, "cross-set");
});

test("upload a results file: a bad line stops everything, ticking 'import the valid lines' imports the rest", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  await page.goto("/admin/experiments");
  const lines = readFileSync(FIXTURE, "utf8").trim().split("\n").filter((line) => line.includes('"setting":"default"'));
  const renamed = lines.map((line) => line.replaceAll(/lenet1-quick\/default\/[0-9a-f]{12}/g, "lenet1-quick/default/e2e0000000aa"));
  const content = [renamed[0], '{"schemaVersion":99,"kind":"run"}', ...renamed.slice(1)].join("\n");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Import a results file" }) });
  await form.getByLabel("Results file").setInputFiles({ name: "results.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(content) });
  await form.getByRole("button", { name: "Import results" }).click();
  await expect(formAlert(page)).toContainText("1 of 4 line(s) were rejected, so nothing was imported");
  await expect(formAlert(page)).toContainText("Line 2: unknown schemaVersion 99");
  await expect(page.getByRole("link", { name: /e2e0000000aa/ })).toHaveCount(0);

  await form.getByLabel("Import the valid lines even if some lines are rejected").check();
  await form.getByRole("button", { name: "Import results" }).click();
  await expect(form.getByRole("status")).toContainText("Imported 3 run(s) into 1 set(s) of study pham2020; skipped 1 invalid line(s)");
  const table2 = page.locator("section", { has: page.getByRole("heading", { name: "Accuracy differences (Table 2)" }) });
  await expect(table2.getByRole("row")).toHaveCount(DEMO_SET_COUNT + 2);
});

test("start a tiny preset as a background job, watch it finish and see its sets", async ({ page }) => {
  test.setTimeout(180_000);
  const form = await presetForm(page, { runs: "1" });
  await form.getByText("Overrides").click();
  await form.getByLabel("Epochs").fill("1");
  await form.getByLabel("Training images").fill("64");
  await form.getByLabel("Validation images").fill("32");
  await form.getByLabel("Test images").fill("32");
  await form.getByRole("button", { name: "Start job" }).click();
  // Refused with the reason beside the field; what was typed is kept.
  await expect(form.getByText("At least 2 runs: a spread needs two")).toBeVisible();
  await expect(form.getByLabel("Epochs")).toHaveValue("1");
  // A cross-implementation set needs its implementations: refused beside the field, nothing started.
  await form.getByLabel("Setting").selectOption("cross-implementation");
  await form.getByRole("button", { name: "Start job" }).click();
  await expect(form.getByText("List the implementations to compare")).toBeVisible();
  await form.getByLabel("Implementations").fill("wasm,gpu");
  await form.getByRole("button", { name: "Start job" }).click();
  await expect(form.getByText("Unknown backend 'gpu' in 'gpu'")).toBeVisible();
  await expect(form.getByLabel("Implementations")).toHaveValue("wasm,gpu");
  await form.getByLabel("Setting").selectOption("both");
  await form.getByLabel("Implementations").fill("");
  await form.getByLabel("Runs per set").fill("2");
  await form.getByRole("button", { name: "Start job" }).click();
  await expect(form.getByRole("status")).toContainText("Started lenet1-quick (both, 2 runs per set)");
  const job = page.getByRole("listitem", { name: "Job lenet1-quick · both · 2 runs" }).first();
  await expect(job).toBeVisible();
  await expect(job.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 150_000 });
  await expect(job).toContainText("4 run(s) imported into 2 set(s)");
  await shootDesktopAndPhone(page, SHOTS, "job-finished");
  await job.getByRole("link", { name: /lenet1-quick\/fixed-seed/ }).click();
  await expect(page.getByText("All runs ended with bit-identical weights.")).toBeVisible();
});

test("watch a longer job's progress and cancel it; the runs it finished are imported", async ({ page }) => {
  test.setTimeout(180_000);
  const form = await presetForm(page, { setting: "default", runs: "30" });
  await form.getByText("Overrides").click();
  await form.getByLabel("Epochs").fill("2");
  await form.getByLabel("Training images").fill("256");
  await form.getByRole("button", { name: "Start job" }).click();
  await expect(form.getByRole("status")).toContainText("Started lenet1-quick (default, 30 runs per set)");
  const job = page.getByRole("listitem", { name: "Job lenet1-quick · default · 30 runs" }).first();
  // The page refreshes itself while the job runs: the progress bar moves without a reload.
  await expect(job.getByRole("progressbar")).toBeVisible({ timeout: 60_000 });
  await expect(job).toContainText(/(^|\D)[1-9]\d*\/30 runs/, { timeout: 60_000 });
  await shootDesktopAndPhone(page, SHOTS, "job-running");
  await job.getByRole("button", { name: /Cancel/ }).click();
  await expect(job.getByText("cancelled", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(job).toContainText(/Cancelled\. [1-9]\d* run\(s\) imported into 1 set\(s\)/);
});

test("an annotator cannot open the Experiments area or import", async ({ page, request }) => {
  await signIn(page, "ada@varstudy.local");
  await page.goto("/admin/experiments");
  await expect(page).toHaveURL(/\/forbidden/);
  const response = await page.request.post("/api/experiments/import", { multipart: { file: { name: "r.jsonl", mimeType: "text/plain", buffer: Buffer.from("{}") } } });
  expect(response.status()).toBe(403);
  expect((await request.post("/api/experiments/import")).status()).toBe(401);
});
