/**
 * Issue 23, item 3, as the admin and a participant see it: a response file large enough to take a while is
 * imported as a job; the import page shows it checking and writing, a participant's survey page loads while it
 * runs, and the page shows the job finish with the responses committed. Screenshots:
 * docs/screenshots/import-job-running.png and import-job-finished.png.
 */
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E, signIn } from "./helpers";
import { writeBigQualtricsCsv } from "../../scripts/lib/big-import-file";

const shots = path.join("docs", "screenshots");
const file = path.join("tmp", "import-job-e2e", "large-export.csv");
// About 6,000 rows: long enough on the embedded database that the job is still running when the participant comes.
const written = writeBigQualtricsCsv(file, 1_300_000, `R_e2e${Date.now().toString(36)}`);

test.use({ baseURL: `http://localhost:${E2E.seededPort}`, viewport: { width: 1280, height: 900 } });

test("a large import runs as a job the page follows, while a participant's page loads", async ({ page, browser }) => {
  test.setTimeout(900_000);
  // More patience than the usual sign-in: several helpers share this machine.
  await signIn(page, E2E.adminEmail, E2E.password, "/login", 90_000);

  await page.goto("/admin/questionnaires?study=pham2020");
  await page.getByRole("link", { name: "Variance in deep learning training runs" }).first().click();
  await page.getByRole("link", { name: "Import responses…" }).click();
  await expect(page.getByRole("heading", { name: "Import responses", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByText(`Qualtrics export with 3 header rows and ${written.rows} response rows`)).toBeVisible({ timeout: 120_000 });
  const importButton = page.getByRole("button", { name: /^Import \d+ responses$/ });
  const responses = Number(/Import (\d+) responses/.exec((await importButton.textContent()) ?? "")?.[1]);
  expect(responses).toBeGreaterThan(1000);
  await importButton.click();

  // The job: stored, then checking (rows checked of the total), then writing (responses written).
  const job = page.locator(".import-job");
  await expect(job).toBeVisible({ timeout: 60_000 });
  await expect(job).toHaveAttribute("data-job-phase", "writing", { timeout: 180_000 });
  await expect(job).toContainText(`All ${written.rows.toLocaleString("en")} rows passed the check`);
  await expect(job).toContainText(/Writing: \d[\d,]* of [\d,]+ responses written/);

  // A participant meanwhile: the survey page loads and the first page can be saved.
  const participant = await browser.newContext();
  const survey = await participant.newPage();
  const started = Date.now();
  await survey.goto(`http://localhost:${E2E.seededPort}/s/pham2020`);
  await expect(survey.getByRole("heading", { level: 1 })).toBeVisible();
  const loadMs = Date.now() - started;
  console.log(`participant page loaded in ${loadMs} ms while the import was writing`);
  expect(loadMs).toBeLessThan(10_000);
  await expect(job).toHaveAttribute("data-job-status", "RUNNING"); // the job really was running meanwhile
  await participant.close();

  await job.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "import-job-running.png") });

  const done = page.getByRole("status").filter({ hasText: /Imported [\d,]+ responses/ });
  await expect(done).toBeVisible({ timeout: 780_000 });
  await expect(done).toContainText(`Imported ${responses.toLocaleString("en")} responses`);
  // The list of imports is refreshed with the committed import.
  await expect(page.locator("tr", { hasText: "large-export.csv" }).first()).toContainText(String(responses));
  await done.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "import-job-finished.png") });
});
