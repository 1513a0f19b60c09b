import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { assignBothCoders, createStudyAsAdmin, createUserAsAdmin, drawSample, E2E, signIn, signOut, uniqueEmail } from "./helpers";

/**
 * Stored XSS: script and HTML typed by participants or arriving in imported files are shown as text wherever the
 * app displays them (survey results, the literature lists, the coding screen, questionnaire pages), and nothing
 * runs. Every payload would set window.__xss or open a dialog if it ran; the test fails on either.
 */
const stamp = Date.now().toString(36);
const XSS = {
  answer: `<script>window.__xss="answer";alert("answer")</script><img src=x onerror="window.__xss='answer-img';alert('answer-img')"> <b>bold answer ${stamp}</b>`,
  other: `<img src=x onerror="window.__xss='other';alert('other')">Other job ${stamp}`,
  title: `<script>window.__xss="title";alert("title")</script><img src=x onerror="window.__xss='title-img'"> Training <b>nets</b> ${stamp}`,
  abstract: `<img src=x onerror="window.__xss='abstract'"><script>alert("abstract")</script> An abstract with <i>markup</i> ${stamp}.`,
  title2: `<svg onload="window.__xss='svg'"></svg> Variance <a href="javascript:alert('link')">link</a> ${stamp}`,
  abstract2: `<iframe src="javascript:alert('iframe')"></iframe> Second abstract ${stamp}.`,
  questionnaire: `<img src=x onerror="window.__xss='questionnaire'"> Survey <i>title</i> ${stamp}`,
};

/** Records dialogs (alert, confirm) the page opens: a payload that ran would open one. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on("dialog", (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

/** The texts are on the page literally, and no payload ran or became an element. */
async function expectShownAsText(page: Page, texts: string[], dialogs: string[]) {
  for (const text of texts) await expect(page.getByText(text, { exact: false }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"], svg[onload], iframe, a[href^="javascript:"]').count()).toBe(0);
  expect(await page.locator("b, i").filter({ hasText: stamp }).count()).toBe(0);
  expect(dialogs).toEqual([]);
}

const PAGES: Record<string, Record<string, string | string[]>> = {
  background: { "q.position": "other", "q.position.other": XSS.other, "q.work_years": "6", "q.dl_years": "3", "q.education": "master", "q.frameworks": ["tensorflow"] },
  default_runs: { "q.Q20": "maybe", "q.Q21": "upto2", "q.Q21_class": "upto10", "q.time_default": "upto10" },
  fixed_seed: { "q.Q26": "yes", "q.Q27": "none", "q.Q27_class": "upto1", "q.time_fixed_seed": "upto5" },
  practice: { "q.model_selection": "best_val_loss", "q.repeat_runs": "3" },
  awareness: { "q.aware_impl": "no", "q.known_sources": ["dropout"], "q.comments": XSS.answer },
};

test("[SECURITY] free-text answers with script and HTML are shown as text in the survey results", async ({ page, playwright }) => {
  // A participant (its own cookie jar) answers through the JSON endpoint the pages' forms mirror.
  const participant = await playwright.request.newContext({ baseURL: `http://localhost:${E2E.seededPort}` });
  expect((await participant.post("/s/pham2020/answers", { data: { op: "start" } })).ok()).toBe(true);
  for (const [sectionId, fields] of Object.entries(PAGES)) {
    const saved = await participant.post("/s/pham2020/answers", { data: { op: "page", sectionId, fields } });
    expect(saved.ok(), `${sectionId}: ${await saved.text()}`).toBe(true);
  }
  await participant.dispose();

  const dialogs = watchDialogs(page);
  await signIn(page, E2E.adminEmail);
  // The demo study may hold other questionnaires by now (the Qualtrics spec creates one): name the reference one.
  await page.goto("/admin/studies/pham2020/survey/comments?questionnaire=pham2020");
  await expectShownAsText(page, [XSS.answer], dialogs);
  await page.goto("/admin/studies/pham2020/survey/position?questionnaire=pham2020");
  await expectShownAsText(page, [XSS.other], dialogs);
});

test("[SECURITY] paper titles and abstracts with script and HTML are shown as text to admins and coders", async ({ page }) => {
  test.setTimeout(240_000);
  const dialogs = watchDialogs(page);
  const coderA = { name: `XSS coder A ${stamp}`, email: uniqueEmail("xss-a") };
  const coderB = { name: `XSS coder B ${stamp}`, email: uniqueEmail("xss-b") };
  await signIn(page, E2E.adminEmail);
  await createUserAsAdmin(page, coderA);
  await createUserAsAdmin(page, coderB);

  const slug = `xss-${stamp}`;
  await createStudyAsAdmin(page, { name: `XSS study ${stamp}`, slug });

  // RIS keeps text as it is (BibTeX turns < and > into other characters), so the payloads arrive intact.
  const ris = [
    ["TY  - CONF", "AU  - Mallory, Eve", `TI  - ${XSS.title}`, "T2  - Proceedings of the 41st International Conference on Software Engineering, ICSE 2019", "PY  - 2019", `DO  - 10.5555/xss.${stamp}.1`, `AB  - ${XSS.abstract}`, "ER  - "],
    ["TY  - CONF", "AU  - Eve, Mallory", `TI  - ${XSS.title2}`, "T2  - Advances in Neural Information Processing Systems 32, NeurIPS 2019", "PY  - 2019", "UR  - javascript:alert('url')", `AB  - ${XSS.abstract2}`, "ER  - "],
  ]
    .map((entry) => entry.join("\n"))
    .join("\n\n");
  await page.goto(`/admin/literature/import?study=${slug}`);
  await page.getByLabel("Paper file").setInputFiles({ name: "hostile.ris", mimeType: "application/x-research-info-systems", buffer: Buffer.from(`${ris}\n`) });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 2 new papers" })).toBeVisible({ timeout: 60_000 });
  await expectShownAsText(page, [], dialogs);

  await page.goto(`/admin/literature/population?study=${slug}`);
  await expectShownAsText(page, [XSS.title, XSS.title2], dialogs);

  await page.goto(`/admin/literature/sample?study=${slug}`);
  await drawSample(page, { perStratum: 1, seed: 7 });
  await expectShownAsText(page, [], dialogs);
  await assignBothCoders(page, [coderA, coderB], 2);
  await signOut(page);

  // The coder reads both papers on the coding screen: title, abstract, and no script link.
  await signIn(page, coderA.email);
  await page.goto("/code");
  await expectShownAsText(page, [], dialogs);
  await page.getByRole("link", { name: "Start coding" }).click();
  const seen: string[] = [];
  for (let index = 0; index < 2; index++) {
    await expect(page.getByRole("heading", { name: /Code a paper/ })).toBeVisible();
    const title = (await page.locator("#paper-title").textContent()) ?? "";
    seen.push(title);
    const abstract = title === XSS.title ? XSS.abstract : XSS.abstract2;
    await expectShownAsText(page, [title, abstract], dialogs);
    if (title === XSS.title2) await expect(page.getByRole("link", { name: /Open the paper/ })).toHaveCount(0);
    // Skip to the next paper without coding (the queue keeps it).
    const before = page.url();
    const next = page.getByRole("button", { name: /Skip/ }).first();
    if (index === 0) {
      await next.click();
      await page.waitForURL((url) => url.toString() !== before);
    }
  }
  expect(seen.sort()).toEqual([XSS.title, XSS.title2].sort());
});

test("[SECURITY] a questionnaire title with HTML is shown as text on the admin pages", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await signIn(page, E2E.adminEmail);
  await page.goto("/admin/questionnaires");
  const source = fs
    .readFileSync(path.resolve(import.meta.dirname, "../fixtures/survey/mini.yaml"), "utf8")
    .replace(/^id: mini$/m, `id: xss_${stamp.replace(/[^a-z0-9]/g, "")}`)
    .replace(/^title: .*$/m, `title: ${JSON.stringify(XSS.questionnaire)}`);
  await page.getByLabel("Definition (YAML or JSON)").fill(source);
  // A questionnaire is created inside a chosen study (the demo study here).
  await page.getByLabel("Study", { exact: true }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/admin\/questionnaires\/[\w-]+$/, { timeout: 30_000 });
  await expectShownAsText(page, [XSS.questionnaire], dialogs);
  await page.goto("/admin/questionnaires");
  await expectShownAsText(page, [XSS.questionnaire], dialogs);
});

test("[SECURITY] the checks above notice a payload that does run", async ({ page }) => {
  // Without this, a check that can never fail would pass the tests above too.
  const dialogs = watchDialogs(page);
  await page.setContent(`<p>${XSS.answer}</p>`);
  await expect(expectShownAsText(page, [], dialogs)).rejects.toThrow();
});
