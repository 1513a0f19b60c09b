/**
 * The dashboard on a server seeded with 901 responses following the reference study (the third
 * end-to-end server, seeded by tests/e2e/dashboard-seed.ts). Expected numbers are computed here from the seeded counts
 * with lib/stats, not copied from the page.
 */
import { expect, test, type Page } from "@playwright/test";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { asAdminOnDashboardServer, signIn, signOut } from "./helpers";

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const wilson = proportionCI({ x: 755, n: 901, method: "wilson" });
const clopper = proportionCI({ x: 755, n: 901, method: "clopper-pearson" });
const STUDY = "/admin/studies/pham2020";

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `tmp/dashboard-${name}-desktop.png`, fullPage: false });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: `tmp/dashboard-${name}-phone.png`, fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe("analytics dashboard", () => {
  asAdminOnDashboardServer();

  test("the overview shows 83.8% with its interval and n, and a breakdown with difference intervals", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: /Training variance/ }).click();
    await expect(page).toHaveURL(new RegExp(`${STUDY}$`));
    const headline = page.locator('[data-headline="unaware_impl_variance"]');
    await expect(headline).toContainText("83.8%");
    await expect(headline).toContainText(`[${pct(wilson.lower)}, ${pct(wilson.upper)}]`);
    await expect(headline).toContainText("n = 901");
    await expect(headline).toContainText("Wilson score");
    await expect(page.getByText("Completed", { exact: true })).toBeVisible();
    // Difference intervals of the breakdown by position (Newcombe), with a corrected p column.
    const differences = page.locator("table.differences").first();
    await expect(differences).toContainText("Industry");
    await expect(differences.locator("tbody tr").first()).toContainText(/\[[+−]\d+\.\d pp, [+−]\d+\.\d pp\]/);
    await expect(page.getByText(/adjusted with Holm over \d+ comparisons/).first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "Methods paragraph" })).toBeVisible();
    await expect(page.locator(".methods").first()).toContainText("Wilson score confidence interval");
    await shoot(page, "overview");
  });

  test("the interval method is selectable and named", async ({ page }) => {
    await page.goto(STUDY);
    await page.getByText("Settings and filters:").click();
    await page.getByLabel("Interval method").selectOption("clopper-pearson");
    await page.getByRole("button", { name: "Apply" }).click();
    const headline = page.locator('[data-headline="unaware_impl_variance"]');
    await expect(headline).toContainText(`[${pct(clopper.lower)}, ${pct(clopper.upper)}]`);
    await expect(headline).toContainText("Clopper–Pearson");
  });

  test("a chart's table alternative holds the chart's numbers, and the page works at phone width", async ({ page }) => {
    await page.goto(`${STUDY}/survey`);
    const block = page.locator("section.question-result", { has: page.getByRole("heading", { name: /^Q26:/ }) });
    const table = block.locator("table.chart-table");
    const yes = proportionCI({ x: 571, n: 901, method: "wilson" });
    await expect(table.locator("tr", { hasText: "Yes" })).toContainText(["571", "901", "63.4%", `[${pct(yes.lower)}, ${pct(yes.upper)}]`].join(""));
    await expect(table.locator("tr", { hasText: "Maybe" })).toContainText("184");
    await expect(block.locator("canvas")).toBeVisible();
    await expect(block.getByRole("button", { name: /Download PNG/ })).toBeVisible();
    const download = page.waitForEvent("download");
    await block.getByRole("button", { name: /Download CSV/ }).click();
    const file = await download;
    const csv = await (await file.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString("utf8")).toContain("Yes,571,901,63.4%");
    await shoot(page, "survey");
    await page.goto(`${STUDY}/survey/Q26?by=position`);
    await expect(page.locator("table.differences")).toContainText("Academia");
    await shoot(page, "question");
  });

  test("the exports contain the headline with its interval", async ({ page }) => {
    const csv = await page.request.get("/api/studies/pham2020/results?format=csv");
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    const line = text.split("\r\n").find((row) => row.startsWith("survey,headline,Unaware or unsure"))!;
    expect(line).toContain(`,755,901,${Number(wilson.estimate.toFixed(6))},${Number(wilson.lower.toFixed(6))},${Number(wilson.upper.toFixed(6))},Wilson score,0.95,`);
    expect(text).toContain("difference Q26 by position");
    const json = await (await page.request.get("/api/studies/pham2020/results?format=json")).json();
    const headline = json.survey.headlines.find((item: { id: string }) => item.id === "unaware_impl_variance");
    expect([headline.x, headline.n]).toEqual([755, 901]);
    expect(headline.lower).toBeCloseTo(wilson.lower, 10);
    expect(json.methods.join(" ")).toContain("755 of 901");
    const bad = await page.request.get("/api/studies/pham2020/results?format=xls");
    expect(bad.status()).toBe(400);
  });

  test("the printable report has every section", async ({ page }) => {
    await page.goto(`${STUDY}/report`);
    await expect(page.getByRole("heading", { name: "Methods" })).toBeVisible();
    await expect(page.locator('[data-headline="unaware_impl_variance"]')).toContainText("83.8%");
    await expect(page.getByRole("heading", { name: "Literature survey" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Training experiments" })).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await shoot(page, "report");
  });

  test("annotators cannot read the results or download them", async ({ page }) => {
    await signOut(page);
    await signIn(page, "ada@varstudy.local");
    const response = await page.request.get("/api/studies/pham2020/results?format=csv");
    expect(response.status()).toBe(403);
    await page.goto(STUDY);
    await expect(page).toHaveURL(/\/forbidden/);
  });
});
