/**
 * Issue 18 as a researcher does it: a .qsf and a CSV export from Qualtrics → a questionnaire without writing
 * YAML → a renamed column mapped by hand → preview counts → import into the draft → undo → import again
 * (the hand mapping remembered) → R and SPSS downloads. Screenshots go to docs/screenshots/qualtrics-*.png.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E, signIn } from "./helpers";
import { makeExport, makeQsf, standardRows } from "../unit/io/qualtrics-fixtures";

const shots = path.join("docs", "screenshots");
const work = path.join("tmp", "qualtrics-e2e");
fs.mkdirSync(work, { recursive: true });
const qsfFile = path.join(work, "Training_variance_practice.qsf");
const exportFile = path.join(work, "Training_variance_practice_January_15.csv");
fs.writeFileSync(qsfFile, makeQsf());
fs.writeFileSync(exportFile, makeExport(standardRows, { renameQ5: "years_dl", q5Text: "Experience (years)" }));

test.use({ baseURL: `http://localhost:${E2E.seededPort}`, viewport: { width: 1280, height: 900 } });

test("Qualtrics in and out: .qsf → questionnaire, mapped import, undo, redo, R and SPSS", async ({ page }) => {
  test.setTimeout(420_000);
  // More patience than the usual sign-in: several helpers share this machine.
  await signIn(page, E2E.adminEmail, E2E.password, "/login", 90_000);

  // 1. Create from the survey file: notes on what was not carried over, then the draft.
  // From the demo study's questionnaires: the converted questionnaire is created in that study.
  await page.goto("/admin/questionnaires?study=pham2020");
  await page.getByRole("link", { name: "Create from a Qualtrics survey file or export…" }).click();
  await expect(page.getByRole("heading", { name: "Create a questionnaire from Qualtrics", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Qualtrics survey file (.qsf) or CSV export").setInputFiles(qsfFile);
  await page.getByRole("button", { name: "Read the file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "5 questions from the survey file" })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator(".carry-over-notes")).toContainText("slider questions are not supported");
  await page.screenshot({ path: path.join(shots, "qualtrics-create-from-qsf.png"), fullPage: true });
  await expect(page.getByLabel("Study", { exact: true }).locator("option:checked")).toHaveText(/Pham/);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("heading", { name: "Training variance practice", level: 1 })).toBeVisible({ timeout: 30_000 });
  const questionnaireUrl = page.url();

  // 2. Import into the draft: the renamed column is unmatched; map it by hand.
  await page.getByRole("link", { name: "Import responses…" }).click();
  await expect(page.getByRole("heading", { name: "Import responses", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle"); // the upload form works once the page is interactive
  await page.getByLabel("CSV file").setInputFiles(exportFile);
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByText("No column for: Q5")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Dates are read as America\/Denver time/)).toBeVisible();
  await page.getByLabel("Question for years_dl").selectOption("Q5");
  await expect(page.getByText("No column for: Q5")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator("tr", { hasText: "years_dl" })).toContainText("by hand");
  const counts = page.locator(".import-counts");
  await expect(counts).toContainText("3 finished");
  await expect(counts).toContainText("2 unfinished");
  await expect(counts).toContainText("1 preview/test left out");
  await page.locator("tr", { hasText: "years_dl" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "qualtrics-mapping.png"), fullPage: true });
  await counts.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "qualtrics-preview.png") });
  await page.getByRole("button", { name: "Import 5 responses" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 5 responses" })).toBeVisible({ timeout: 30_000 });

  // 3. Undo the whole import, then import again: the hand mapping is remembered.
  await page.reload();
  const row = page.locator("tr", { hasText: exportFile.split("/").at(-1)! });
  await expect(row).toContainText("America/Denver");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Undo this import" }).click();
  await expect(page.locator("tr", { hasText: "undone" })).toBeVisible({ timeout: 30_000 });
  await page.locator("#imports-title").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "qualtrics-undo.png"), fullPage: true });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Import responses", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("CSV file").setInputFiles(exportFile);
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByText(/hand mapping of the last import is applied/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Import 5 responses" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 5 responses" })).toBeVisible({ timeout: 30_000 });

  // 4. R and SPSS files beside the CSV.
  await page.goto(questionnaireUrl);
  const heading = page.getByRole("heading", { name: "R and SPSS ready" });
  await heading.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "qualtrics-r-spss.png") });
  const api = questionnaireUrl.replace("/admin/questionnaires/", "/api/questionnaires/");
  const data = await page.request.get(`${api}/export?format=r-data&partial=1`);
  expect(data.status()).toBe(200);
  expect((await data.text()).split("\r\n")[0]).toContain("response_id,status,progress,started_at,submitted_at,Q1");
  const r = await page.request.get(`${api}/export?format=r-script&partial=1`);
  expect(await r.text()).toContain('d[["Q1"]] <- factor(d[["Q1"]], levels = c(1, 2, 3, 4), labels = c("Student", "Engineer", "Researcher", "Other"))');
  const spss = await page.request.get(`${api}/export?format=spss&partial=1`);
  const syntax = await spss.text();
  expect(syntax).toContain("VALUE LABELS");
  expect(syntax).toContain("Q1 'What is your role?'");
});
