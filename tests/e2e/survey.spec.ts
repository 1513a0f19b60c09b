import path from "node:path";
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { E2E, signIn } from "./helpers";

/**
 * The reference questionnaire (seeded, published and open at /s/pham2020) as a participant and as an admin:
 * complete it on desktop and on a 360-px phone with an accessibility check on every page, resume after closing
 * the tab (same browser and through the resume link), no second response, and a Qualtrics import.
 */
const SLUG = "pham2020";
const shots = path.join("tmp", "survey-shots");
fs.mkdirSync(shots, { recursive: true });

async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations on ${name}`).toEqual([]);
}

const group = (page: Page, question: RegExp) => page.getByRole("group", { name: question });
const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const next = (page: Page) => page.getByRole("button", { name: /^(Next|Submit answers)$/ });

/** Answers one page of the reference questionnaire the way a person would (labels, not ids). */
async function answerPage(page: Page, title: string) {
  switch (title) {
    case "About you":
      await group(page, /Where do you mainly work/).getByLabel("Industry").check();
      await page.getByLabel(/years of work experience/).fill("6");
      await page.getByLabel(/years of experience do you have with deep learning/).fill("3");
      await group(page, /highest degree/).getByLabel("Master's degree").check();
      await group(page, /frameworks have you used/).getByLabel("TensorFlow").check();
      await group(page, /frameworks have you used/).getByLabel("PyTorch").check();
      return;
    case "Identical training runs": {
      const q21 = group(page, /^From your experience, in the worst case, by how much would you expect the final overall accuracy/);
      await expect(q21).toBeHidden(); // skip logic: asked only after Yes/Maybe
      await group(page, /are DL systems deterministic/).getByLabel("Maybe").check();
      await expect(q21).toBeVisible();
      await q21.getByLabel("(1%, 2%]").check();
      await group(page, /accuracy of a single class/).getByLabel("(5%, 10%]").check();
      await group(page, /training time to vary between identical/).getByLabel("(5%, 10%]").check();
      return;
    }
    case "Fixed-seed training runs":
      await group(page, /fixed-seed identical DL training runs to be deterministic/).getByLabel("Yes").check();
      await group(page, /final overall accuracy .* fixed-seed/).getByLabel("No variance").check();
      await group(page, /single class to vary .* fixed-seed/).getByLabel("(0%, 1%]").check();
      await group(page, /training time to vary between fixed-seed/).getByLabel("(0%, 5%]").check();
      return;
    case "Your practice":
      await group(page, /which checkpoint do you usually keep/).getByLabel("The epoch with the best validation loss").check();
      await group(page, /how often do you train each of them/).getByLabel(/Sometimes/).check();
      return;
    case "Sources of variance":
      await group(page, /did you know that implementation-level/).getByLabel("No", { exact: true }).check();
      await group(page, /can, in your experience, make identical/).getByLabel("Dropout").check();
      await page.getByLabel(/anything else you would like to tell us/).fill("Typed on the last page.");
      return;
    default:
      throw new Error(`unexpected page "${title}"`);
  }
}

/** From the welcome page to the thank-you page, checking accessibility and taking a screenshot of each page. */
async function completeQuestionnaire(page: Page, label: string) {
  await page.goto(`/s/${SLUG}`);
  await expect(heading(page)).toHaveText("How much do identical training runs differ?");
  await expectAccessible(page, `${label} welcome`);
  await page.screenshot({ path: path.join(shots, `${label}-welcome.png`), fullPage: true });
  await page.getByRole("button", { name: "I agree, start the questionnaire" }).click();
  for (let index = 1; index <= 5; index += 1) {
    await expect(page.getByText(`Page ${index} of 5`)).toBeVisible();
    const title = (await heading(page).textContent()) ?? "";
    await answerPage(page, title);
    await expectAccessible(page, `${label} page ${index}`);
    await page.screenshot({ path: path.join(shots, `${label}-page${index}.png`), fullPage: true });
    await next(page).click();
    if (index < 5) await expect(page.getByText(`Page ${index + 1} of 5`)).toBeVisible();
  }
  await expect(heading(page)).toHaveText("Thank you");
  await expectAccessible(page, `${label} thanks`);
}

test.describe("reference questionnaire, participant", () => {
  test("desktop: validation in plain words, what was typed is kept", async ({ page }) => {
    await page.goto(`/s/${SLUG}`);
    await page.getByRole("button", { name: "I agree, start the questionnaire" }).click();
    await expect(page.getByText("Page 1 of 5")).toBeVisible();
    // Next without answers: a summary that takes focus, messages beside each question, nothing lost.
    await page.getByLabel(/years of work experience/).fill("12,5");
    await next(page).click();
    await expect(page.getByRole("alert").filter({ hasText: "need your attention" })).toBeVisible();
    await expect(group(page, /Where do you mainly work/)).toContainText("Please answer this question.");
    await expect(page.getByText("Please use a dot as the decimal separator, e.g. 2.5.").first()).toBeVisible();
    await expect(page.getByLabel(/years of work experience/)).toHaveValue("12,5");
    await expectAccessible(page, "desktop page 1 with errors");
    await page.screenshot({ path: path.join(shots, "desktop-errors.png"), fullPage: true });
  });

  test("desktop: complete every page, then no second response", async ({ page }) => {
    await completeQuestionnaire(page, "desktop");
    await page.screenshot({ path: path.join(shots, "desktop-thanks.png") });

    // Coming back shows the thanks again; a new start in this browser is refused politely.
    await page.goto(`/s/${SLUG}`);
    await expect(heading(page)).toHaveText("Thank you");
    await page.context().clearCookies({ name: `vs_r_${SLUG}` });
    await page.goto(`/s/${SLUG}`);
    await page.getByRole("button", { name: "I agree, start the questionnaire" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "already completed this questionnaire" })).toBeVisible();
  });

  test("phone, 360 px wide: complete the questionnaire", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await completeQuestionnaire(page, "phone");
    // Nothing overflows sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  test("resume after closing the tab, and through the resume link in another browser", async ({ browser }) => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(`/s/${SLUG}`);
    await first.getByRole("button", { name: "I agree, start the questionnaire" }).click();
    await answerPage(first, "About you");
    await next(first).click();
    await expect(first.getByText("Page 2 of 5")).toBeVisible();
    await first.close(); // the tab is closed

    const again = await context.newPage();
    await again.goto(`/s/${SLUG}`);
    await expect(heading(again)).toHaveText("Identical training runs");
    await again.getByRole("button", { name: "Back" }).click();
    await expect(heading(again)).toHaveText("About you");
    await expect(again.getByLabel(/years of work experience/)).toHaveValue("6");
    await expect(group(again, /Where do you mainly work/).getByLabel("Industry")).toBeChecked();
    await next(again).click();
    await again.getByText("Continue later").click();
    const link = (await again.locator(".resume-link code").textContent()) ?? "";
    expect(link).toMatch(/\/s\/pham2020\/resume\?r=/);

    const other = await browser.newContext();
    const phone = await other.newPage();
    await phone.goto(link);
    await expect(heading(phone)).toHaveText("Identical training runs");
    await expect(phone.getByText("Page 2 of 5")).toBeVisible();
    await other.close();
    await context.close();
  });

  test("declining consent ends politely", async ({ page }) => {
    await page.goto(`/s/${SLUG}`);
    await page.getByRole("button", { name: "I do not want to take part" }).click();
    await expect(page.getByText("no answers were recorded")).toBeVisible();
    await expectAccessible(page, "declined");
  });
});

test.describe("reference questionnaire, admin", () => {
  test("imports a Qualtrics export, sees the counts, previews and exports", async ({ page }) => {
    await signIn(page, E2E.adminEmail);
    await page.goto("/admin/questionnaires");
    await expect(page.getByRole("heading", { name: "Questionnaires", level: 1 })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "admin-list.png"), fullPage: true });
    await page.getByRole("link", { name: "Variance in deep learning training runs" }).click();
    await expect(page.getByRole("heading", { name: "Responses", exact: true })).toBeVisible();
    const importedBefore = Number(await page.locator(".stat-row li", { hasText: "imported" }).locator("strong").textContent());
    await page.screenshot({ path: path.join(shots, "admin-detail.png"), fullPage: true });

    await page.getByRole("link", { name: "Import responses…" }).click();
    await expect(page.getByRole("heading", { name: "Import responses", level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle"); // the upload form works once the page is interactive
    await page.getByLabel("CSV file").setInputFiles("tests/fixtures/survey/qualtrics-pham2020-choice-text.csv");
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect(page.getByText(/Qualtrics export with 3 header rows/)).toBeVisible();
    await page.screenshot({ path: path.join(shots, "admin-import-preview.png"), fullPage: true });
    await page.getByRole("button", { name: /^Import \d+ responses$/ }).click();
    const done = page.getByRole("status").filter({ hasText: /Imported \d+ responses/ });
    await expect(done).toBeVisible({ timeout: 30_000 });
    const imported = Number(/Imported (\d+) responses/.exec((await done.textContent()) ?? "")?.[1]);
    expect(imported).toBeGreaterThan(0);
    // Importing the same file again is refused in the preview, grouped, with row numbers, and writes nothing.
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing can be imported yet" })).toContainText("was imported before");
    await expect(page.getByRole("button", { name: /^Import \d+ responses$/ })).toHaveCount(0);
    await page.getByLabel("CSV file").setInputFiles("tests/fixtures/survey/qualtrics-pham2020-choice-text.csv"); // clears the result
    await page.goto(page.url().replace(/\/import$/, ""));
    await expect(page.locator(".stat-row li", { hasText: "imported" }).locator("strong")).toHaveText(String(importedBefore + imported));

    // The direct download serves at most 1,000 responses (scripts); the other specs may have taken this
    // questionnaire past that, and then it points to the Export button instead.
    const direct = await page.request.get(`${page.url().replace("/admin/questionnaires/", "/api/questionnaires/")}/export?format=csv&partial=1`);
    expect([200, 409]).toContain(direct.status());
    if (direct.status() === 409) expect(await direct.text()).toContain("start it from the questionnaire's page (Export)");

    // The Export button prepares the same file in the background: its page follows the progress, then offers it.
    const questionnaireUrl = page.url();
    await page.getByRole("button", { name: "CSV (with unfinished)", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Export of responses", level: 1 })).toBeVisible();
    const downloadLink = page.getByRole("link", { name: /^Download .+-all-\d{4}-\d{2}-\d{2}\.csv$/ });
    await expect(downloadLink).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("status")).toContainText(/Exported [\d,]+ responses\./);
    await page.screenshot({ path: path.join(shots, "admin-export-job.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
    expect(download.suggestedFilename()).toMatch(/-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = fs.readFileSync(await download.path());
    const text = file.toString("utf8");
    expect(text.split("\r\n")[0]).toContain("response_id,status,progress");
    expect(text.split("\r\n").length - 1).toBeGreaterThanOrEqual(imported);
    if (direct.status() === 200) expect(file).toEqual(await direct.body());
    await page.goto(questionnaireUrl);
    await expect(page.getByRole("link", { name: download.suggestedFilename() })).toBeVisible();

    await page.getByRole("link", { name: /^Preview/ }).first().click();
    await expect(page.getByText("Nothing you enter here is stored")).toBeVisible();
    await page.getByRole("link", { name: "2. Identical training runs" }).click();
    await expect(heading(page)).toHaveText("Identical training runs");
    await page.screenshot({ path: path.join(shots, "admin-preview.png"), fullPage: true });
  });
});
