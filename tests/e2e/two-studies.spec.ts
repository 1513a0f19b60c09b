/**
 * Two studies side by side on the dashboard server (tests/e2e/dashboard-seed.ts): the demo study and "Beta
 * replication", whose questionnaires use the same question ids with other answers. Clicks through both studies'
 * overview, survey, question, breakdown, filter and report pages and checks the numbers on each; expected figures
 * are computed here with lib/stats from the seeded counts.
 */
import { expect, test, type Page } from "@playwright/test";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { asAdminOnDashboardServer, consoleErrors, E2E, signIn } from "./helpers";
import { BETA } from "./two-studies-data";

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const DEMO = "/admin/studies/pham2020";
const BETA_PATH = `/admin/studies/${BETA.slug}`;

/** The questionnaire must stay in the URL of every page reached from a study page. */
async function expectQuestionnaireInUrl(page: Page, slug: string) {
  await expect(page).toHaveURL(new RegExp(`[?&]questionnaire=${slug}(&|$)`));
}

test.describe("two studies with the same question ids", () => {
  asAdminOnDashboardServer();

  test("each study's overview, survey, question, breakdown, filter and report pages show only its own numbers", async ({ page }) => {
    const errors = consoleErrors(page);

    // The demo study: 755 of 901.
    await page.goto("/admin");
    await expect(page.getByRole("link", { name: BETA.name })).toBeVisible();
    await page.goto(DEMO);
    await expect(page.locator('[data-headline="unaware_impl_variance"]')).toContainText("755 of 901");
    await expect(page.locator('[data-headline="aware"]')).toHaveCount(0);

    // Beta: its own headline with its own method and level (Clopper–Pearson 90%), 30 of 40.
    await page.goto("/admin");
    await page.getByRole("link", { name: BETA.name }).click();
    await expect(page).toHaveURL(new RegExp(`${BETA_PATH}$`));
    const aware = page.locator('[data-headline="aware"]');
    const cp = proportionCI({ x: 30, n: 40, method: "clopper-pearson", level: 0.9 });
    await expect(aware).toContainText("75.0%");
    await expect(aware).toContainText(`90% CI [${pct(cp.lower)}, ${pct(cp.upper)}], n = 40`);
    await expect(aware).toContainText("Clopper–Pearson exact");
    await expect(page.locator('[data-headline="unaware_impl_variance"]')).toHaveCount(0);
    await expect(page.getByText("755")).toHaveCount(0);
    // Two questionnaires: a chooser.
    const chooser = page.getByRole("navigation", { name: "Questionnaires of this study" });
    await expect(chooser).toBeVisible();

    // Survey page keeps the questionnaire; Q26 "Yes" is 4 of 40 here (571 of 901 in the demo).
    await page.getByRole("link", { name: "All survey results" }).first().click();
    await expectQuestionnaireInUrl(page, BETA.questionnaire);
    const q26 = page.locator("section.question-result", { has: page.locator("#q-Q26") });
    const wilson4 = proportionCI({ x: 4, n: 40, method: "wilson" });
    await expect(q26.locator("tr", { hasText: /^Yes/ })).toContainText(`[${pct(wilson4.lower)}, ${pct(wilson4.upper)}]`);
    await expect(q26).toContainText("40 answered");

    // Question drill-down, then a breakdown: still Beta's questionnaire (the bug showed the demo's Q26).
    await q26.getByRole("link", { name: /Details/ }).click();
    await expectQuestionnaireInUrl(page, BETA.questionnaire);
    await expect(page.getByText(/Study Beta replication · questionnaire/)).toBeVisible();
    await expect(page.getByText("40 answered")).toBeVisible();
    await page.getByLabel("Break down by").selectOption("Q20");
    await page.getByRole("button", { name: "Show breakdown" }).click();
    await expect(page).toHaveURL(/by=Q20/);
    await expectQuestionnaireInUrl(page, BETA.questionnaire);
    await expect(page.getByText("40 answered")).toBeVisible();
    const shares = page.locator("table", { has: page.getByText("Shares by group") });
    await expect(shares).toContainText("(n = 20)");
    await expect(shares).toContainText("(n = 10)");

    // A filter (all started responses, method Wald) from the settings form keeps study and questionnaire.
    await page.locator("details.settings summary").click();
    await page.getByLabel("Interval method").selectOption("wald");
    await page.getByLabel("Responses", { exact: true }).selectOption("all");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/method=wald/);
    await expect(page).toHaveURL(/status=all/);
    await expectQuestionnaireInUrl(page, BETA.questionnaire);
    await expect(page.getByText("40 answered")).toBeVisible();

    // The report of Beta.
    await page.goto(`${BETA_PATH}?questionnaire=${BETA.questionnaire}`);
    await page.getByRole("link", { name: "Printable report" }).first().click();
    await expectQuestionnaireInUrl(page, BETA.questionnaire);
    await expect(page.getByRole("heading", { name: "Beta replication: results" })).toBeVisible();
    await expect(page.locator('[data-headline="aware"]')).toContainText("30 of 40");
    await expect(page.locator('[data-headline="unaware_impl_variance"]')).toHaveCount(0);

    // The demo report still says 755 of 901.
    await page.goto(`${DEMO}/report`);
    await expect(page.locator('[data-headline="unaware_impl_variance"]')).toContainText("755 of 901");

    // Another study's questionnaire in Beta's URL is "not found", not the demo's numbers.
    const response = await page.goto(`${BETA_PATH}/survey/Q26?questionnaire=pham2020`);
    expect(response?.status()).toBe(404);
    const overview = await page.goto(`${BETA_PATH}?questionnaire=pham2020`);
    expect(overview?.status()).toBe(404);
    expect(errors.filter((text) => /Minified React error|hydrat/i.test(text))).toEqual([]);
  });

  test("the pilot questionnaire's 0 of 2 with Wald says the zero-width interval is not a result", async ({ page }) => {
    await page.goto(`${BETA_PATH}/survey/Q26?questionnaire=${BETA.pilot}&method=wald`);
    await expect(page.getByText("2 answered")).toBeVisible();
    const yes = page.locator("table.chart-table tr", { hasText: /^Yes/ });
    await expect(yes).toContainText("[0.0%, 0.0%]");
    await expect(yes).toContainText("zero width");
    await expect(page.getByRole("note").filter({ hasText: "zero width at x = 0 of n = 2" })).toBeVisible();
    await expect(page.getByRole("note").filter({ hasText: "Wilson score or Clopper–Pearson exact" }).first()).toBeVisible();
    // With Wilson the interval has width and no zero-width warning.
    await page.goto(`${BETA_PATH}/survey/Q26?questionnaire=${BETA.pilot}&method=wilson`);
    await expect(page.locator("table.chart-table tr", { hasText: /^Yes/ })).not.toContainText("[0.0%, 0.0%]");
    await expect(page.getByText(/zero width/)).toHaveCount(0);
  });
});

/** A researcher's own study from the browser alone; the screenshots go to docs/screenshots/own-study-*.png. */
test.describe("your own study, end to end", () => {
  const SOURCE = `id: fixed_seed_survey
title: Fixed-seed awareness
version: 1
language: en
welcome: { text: Three questions about training runs. }
consent: { text: Participation is voluntary and anonymous., agreeLabel: I agree, declineLabel: No thank you }
sections:
  - id: runs
    title: Training runs
    questions:
      - id: fixed_seed
        type: single_choice
        text: Do two training runs with the same fixed seed give different accuracy?
        required: true
        options:
          - { id: "yes", label: "Yes" }
          - { id: maybe, label: Maybe }
          - { id: "no", label: "No" }
`;
  const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/own-study-${name}.png`, fullPage: true });

  test("create a study, build its questionnaire, collect answers, define 'Yes or Maybe' and read it with its interval", async ({ page, browser }) => {
    // Three participants in their own browsers and a dozen page loads: more than the default minute on a busy machine.
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1200, height: 900 });
    const errorsLogged = consoleErrors(page);
    await signIn(page, E2E.adminEmail);

    await page.goto("/admin/studies");
    const create = page.getByRole("form", { name: "Create a study" });
    await create.getByLabel("Name", { exact: true }).fill("Fixed-seed study 2027");
    await create.getByLabel("Short name (in links)").fill("fixed-seed-2027");
    await shot(page, "1-create-study");
    await create.getByRole("button", { name: "Create study" }).click();
    // Lands on the NEW study, not the previous one.
    await expect(page).toHaveURL(/\/admin\/studies\/fixed-seed-2027$/);
    await expect(page.getByRole("heading", { name: "Fixed-seed study 2027", level: 1 })).toBeVisible();
    await expect(page.getByText("This study has no questionnaire yet.")).toBeVisible();

    await page.getByRole("link", { name: "Create one in this study" }).click();
    await expect(page).toHaveURL(/study=fixed-seed-2027/);
    await expect(page.getByLabel("Study", { exact: true })).toHaveValue(/.+/);
    await page.getByLabel("Definition (YAML or JSON)").fill(SOURCE);
    await shot(page, "2-build-questionnaire");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page.getByRole("heading", { name: "Fixed-seed awareness", level: 1 })).toBeVisible();
    await expect(page.locator(".study-context")).toContainText("Fixed-seed study 2027");
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await expect(page.getByText(/Version 1 is published/)).toBeVisible();

    // Three participants, each in their own browser: Yes, Maybe, No.
    for (const answer of ["Yes", "Maybe", "No"]) {
      const context = await browser.newContext();
      const participant = await context.newPage();
      await participant.goto("/s/fixed_seed_survey");
      await participant.getByRole("button", { name: "I agree" }).click();
      await participant.getByLabel(answer, { exact: true }).check();
      await participant.getByRole("button", { name: /^(Next|Submit answers)$/ }).click();
      await expect(participant.getByRole("heading", { level: 1 })).toHaveText("Thank you");
      await context.close();
    }

    // The headline "Yes or Maybe on the fixed-seed question", Wilson 95%.
    await page.reload();
    const form = page.getByRole("form", { name: "Define a headline proportion" });
    await form.getByLabel("Label").fill("Expect fixed-seed runs to differ (Yes or Maybe)");
    await form.getByLabel("Short id").fill("expect_differ");
    await form.getByLabel("Question").selectOption("fixed_seed");
    await form.getByLabel("Yes", { exact: true }).check();
    await form.getByLabel("Maybe", { exact: true }).check();
    await form.getByLabel("Interval method").selectOption("wilson");
    await form.getByLabel("Confidence level").selectOption("0.95");
    await form.getByLabel("Reference value, % (optional)").fill("31.9");
    await form.getByRole("button", { name: "Save headline" }).click();
    await expect(page.getByText('Saved the headline "Expect fixed-seed runs to differ (Yes or Maybe)".')).toBeVisible();
    await page.locator("#headlines").scrollIntoViewIfNeeded();
    await shot(page, "3-define-headline");

    await page.getByRole("link", { name: "results on the study dashboard" }).click();
    await expect(page).toHaveURL(/\/admin\/studies\/fixed-seed-2027\?questionnaire=fixed_seed_survey/);
    const headline = page.locator('[data-headline="expect_differ"]');
    const wilson = proportionCI({ x: 2, n: 3, method: "wilson" });
    await expect(headline).toContainText("66.7%");
    await expect(headline).toContainText(`95% CI [${pct(wilson.lower)}, ${pct(wilson.upper)}], n = 3`);
    await expect(headline).toContainText("Reference study: 31.9%");
    // n = 3 is tiny: the page says so.
    await expect(headline.getByRole("note")).toContainText("Only n = 3 answered");
    // None of the demo study's numbers.
    await expect(page.getByText("901")).toHaveCount(0);
    await shot(page, "4-read-headline");
    // The admin questionnaire page and the dashboard hydrate without React error #418 (or any other).
    expect(errorsLogged.filter((text) => /Minified React error|hydrat|#418/i.test(text))).toEqual([]);
  });
});
