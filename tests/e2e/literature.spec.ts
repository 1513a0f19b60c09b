import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { assignBothCoders, createStudyAsAdmin, createUserAsAdmin, drawSample, E2E, signIn, signOut, uniqueEmail } from "./helpers";

const DEMO_BIB = path.resolve(import.meta.dirname, "../../data/demo/pham2020-demo-population.bib");
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../tmp/lit");
/** The committed screenshots of a researcher's own study (docs/screenshots/own-study-literature-*.png). */
const OWN_STUDY = (step: string) => path.resolve(import.meta.dirname, `../../docs/screenshots/own-study-literature-${step}.png`);

/** Codes every paper of the signed-in coder's queue with the keyboard only; `answersFor(i)` gives the keys per paper. */
async function codeQueueWithKeyboard(page: Page, answersFor: (index: number) => string[], papers: number, studyName: string, screenshot?: string) {
  await page.goto("/code");
  await expect(page.getByRole("heading", { name: "Your coding queue" })).toBeVisible();
  // The queue is per study and says which study its papers belong to.
  await expect(page.getByRole("heading", { name: `Study: ${studyName}` })).toBeVisible();
  await expect(page.getByText(`0 of ${papers} papers coded`)).toBeVisible();
  // Reach "Start coding" with Tab and open it with Enter: no mouse.
  const start = page.getByRole("link", { name: "Start coding" });
  for (let presses = 0; presses < 40 && !(await start.evaluate((element) => element === document.activeElement)); presses++) await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  for (let index = 0; index < papers; index++) {
    await expect(page.getByRole("heading", { name: /Code a paper/ })).toBeVisible();
    await expect(page.getByText(/Shift\+S/).first()).toBeVisible();
    if (index === 0) {
      await expect(page.getByText(`Study: ${studyName}`)).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOTS, "coding-screen.png"), fullPage: true });
      if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    }
    for (const key of answersFor(index)) await page.keyboard.press(key);
    const before = page.url();
    await page.keyboard.press("Shift+S");
    await page.waitForURL((url) => url.toString() !== before);
  }
  await expect(page).toHaveURL(/\/code\?finished=1/);
  await expect(page.getByText("You have coded every paper assigned to you in this study.")).toBeVisible();
}

test("[LITERATURE] import, stratified sample, two coders by keyboard, adjudication, kappa and shares", async ({ page }) => {
  test.setTimeout(300_000);
  const stamp = Date.now().toString(36);
  const coderA = { name: `Coder A ${stamp}`, email: uniqueEmail("coder-a") };
  const coderB = { name: `Coder B ${stamp}`, email: uniqueEmail("coder-b"), adjudicator: true };
  const studyName = `E2E survey ${stamp}`;

  await signIn(page, E2E.adminEmail);
  await createUserAsAdmin(page, coderA);
  await createUserAsAdmin(page, coderB);

  // A new study, so the demo study's sample does not interfere.
  const slug = `e2e-${stamp}`;
  await createStudyAsAdmin(page, { name: `E2E survey ${stamp}`, slug });

  // Import: a bad file is refused and writes nothing, then the population imports with its report.
  await page.goto(`/admin/literature/import?study=${slug}`);
  await page.getByLabel("Paper file").setInputFiles({ name: "broken.bib", mimeType: "text/plain", buffer: Buffer.from("this is not a bibliography\n") });
  await page.getByLabel("Format").selectOption("bibtex");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was imported" })).toBeVisible();
  await page.getByLabel("Format").selectOption("auto");
  await page.getByLabel("Paper file").setInputFiles(DEMO_BIB);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 66 new papers" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("status")).toContainText("1 duplicate(s) merged");
  await page.screenshot({ path: path.join(SCREENSHOTS, "import.png"), fullPage: true });
  await page.screenshot({ path: OWN_STUDY("import"), fullPage: true });

  // Stratified sample: the calculator suggests sizes; draw 2 per stratum with a recorded seed.
  await page.goto(`/admin/literature/sample?study=${slug}`);
  await expect(page.getByRole("table", { name: "Required sample size per stratum" })).toBeVisible();
  await drawSample(page, { perStratum: 2, seed: 2020 });
  await expect(page.getByText(/4 papers drawn .* with seed 2020/)).toBeVisible();
  await assignBothCoders(page, [coderA, coderB], 4);
  await page.screenshot({ path: path.join(SCREENSHOTS, "sample.png"), fullPage: true });
  // 2 per stratum is below what the calculator computes for ±5 points: the page says so.
  await expect(page.getByTestId("precision-warning")).toContainText("Below the planned precision");
  await page.screenshot({ path: OWN_STUDY("sample"), fullPage: true });
  await signOut(page);

  // Coder A: "does not train DL" on every paper. Coder B: the first paper trains DL (one conflict).
  await signIn(page, coderA.email);
  await codeQueueWithKeyboard(page, () => ["n"], 4, studyName, OWN_STUDY("coding"));
  await signOut(page);
  await signIn(page, coderB.email);
  await codeQueueWithKeyboard(page, (index) => (index === 0 ? ["y", "n", "n", "o"] : ["n"]), 4, studyName);
  // Coder B may adjudicate, but not a paper they coded: the conflict is listed for someone else, without a form.
  await page.goto("/code/adjudicate");
  const ownConflict = page.getByRole("row").filter({ hasText: studyName });
  await expect(ownConflict).toContainText("another adjudicator (you coded it)");
  await ownConflict.getByRole("link").first().click();
  await expect(page.getByText("You coded this paper, so another adjudicator must settle its disagreement")).toBeVisible();
  await expect(page.getByRole("form", { name: "Final code" })).toHaveCount(0);
  await signOut(page);

  // The admin (an adjudicator) resolves the conflict with a reason.
  await signIn(page, E2E.adminEmail);
  await page.goto("/code/adjudicate");
  const openConflicts = page.locator("section", { has: page.getByRole("heading", { name: /^Open/ }) });
  const row = openConflicts.getByRole("row").filter({ hasText: studyName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("trainsDL");
  await expect(row.getByRole("cell", { name: "you", exact: true })).toBeVisible();
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "The codings side by side" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "disagree" }).first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "adjudicate.png"), fullPage: true });
  const finalForm = page.getByRole("form", { name: "Final code" });
  await finalForm.getByRole("radio", { name: "No" }).first().check();
  // A validation error (no reason) keeps every answer already given.
  await finalForm.getByRole("button", { name: "Save final code" }).click();
  await expect(finalForm.getByText("Give the reason for the final code")).toBeVisible();
  await expect(finalForm.getByRole("radio", { name: "No" }).first()).toBeChecked();
  await page.screenshot({ path: OWN_STUDY("adjudicate"), fullPage: true });
  await finalForm.getByLabel("Reason for the final code").fill("Only a pre-trained model is used for inference.");
  await finalForm.getByRole("button", { name: "Save final code" }).click();
  await expect(finalForm.getByRole("status")).toContainText("Final code saved");

  // Results: kappa with n and interval, shares with intervals, the method selectable.
  await page.goto(`/admin/literature/results?study=${slug}`);
  await expect(page.getByText(/3 with agreed codes, 1 adjudicated/)).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Cohen's kappa" })).toBeVisible();
  const relevance = page.getByRole("row", { name: /Trains deep-learning networks/ });
  await expect(relevance).toContainText("0.0% (0/2)");
  await expect(relevance).toContainText("[");
  await page.getByLabel("Interval", { exact: true }).selectOption("wald-fpc");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("Intervals per stratum: Wald with finite population correction")).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "results.png"), fullPage: true });
  // The study overview counts the agreed papers too, from the same function as the results page.
  await page.goto(`/admin/studies/${slug}`);
  await expect(page.getByTestId("literature-counts")).toContainText("4 of 4 sampled papers with final codes (3 agreed by the coders, 1 adjudicated");
  await expect(page.getByRole("rowheader", { name: "AI (machine learning and vision)" }).first()).toBeVisible();
  await page.screenshot({ path: OWN_STUDY("overview"), fullPage: true });
  await page.goto(`/admin/literature/results?study=${slug}&interval=wald-fpc`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Coded sample (CSV)" }).click();
  expect((await download).suggestedFilename()).toMatch(/coded-sample\.csv$/);
});

test("[LITERATURE] a coder cannot open another coder's paper or the adjudication pages", async ({ page, request }) => {
  test.setTimeout(120_000);
  // The demo seed assigns ada and grace; ada must not reach grace's assignment by URL (blind coding).
  await signIn(page, "grace@varstudy.local");
  await page.goto("/code");
  const gracePaper = await page.getByRole("link", { name: /Continue coding|Start coding/ }).getAttribute("href");
  expect(gracePaper).toMatch(/^\/code\/.+/);
  await signOut(page);
  await signIn(page, "ada@varstudy.local");
  const other = await page.goto(gracePaper!);
  expect(other?.status()).toBe(404);
  await page.goto("/code");
  await expect(page.getByRole("heading", { name: "Your coding queue" })).toBeVisible();
  await page.goto("/code/adjudicate");
  await expect(page).toHaveURL(/\/forbidden/);
  const export_ = await page.request.get("/api/literature/export?studyId=anything&format=csv");
  expect(export_.status()).toBe(403);
  const unknown = await page.goto("/code/not-an-assignment-id");
  expect(unknown?.status()).toBe(404);
  // The coding screen at phone width, for a look (saved under tmp/lit).
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/code");
  await page.getByRole("link", { name: /Continue coding|Start coding/ }).click();
  await expect(page.getByRole("heading", { name: /Code a paper/ })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "coding-phone.png"), fullPage: true });
  const anonymous = await request.get("/api/literature/export?studyId=x&format=json");
  expect(anonymous.status()).toBe(401);
});
