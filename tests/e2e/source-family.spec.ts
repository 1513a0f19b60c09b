/**
 * The variance-by-source panel of the Experiments area, with two studies: a family uploaded into a new study shows
 * its decomposition table (numbers checked against lib/runner/source-family.ts on the same file), its chart and
 * methods paragraph there, and never on the demo study's page.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { runResultSchema } from "@/lib/runner/result-schema";
import { decomposeFamily, familiesIn } from "@/lib/runner/source-family";
import { createStudyAsAdmin, E2E, signIn } from "./helpers";

const FIXTURE = path.join(process.cwd(), "tests/fixtures/runner/lenet1-quick-family/results.jsonl");
const SHOTS = path.join(process.cwd(), "tmp/screenshots/experiments");
const TEXT = readFileSync(FIXTURE, "utf8");
const RUNS = TEXT.trim().split("\n").map((line) => runResultSchema.parse(JSON.parse(line)));
const FAMILY = decomposeFamily([...familiesIn(RUNS).values()][0]!);

async function shoot(page: Page, name: string) {
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Variance by source" }) });
  await page.setViewportSize({ width: 1280, height: 900 });
  await panel.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`) });
  await page.setViewportSize({ width: 360, height: 780 });
  await panel.screenshot({ path: path.join(SHOTS, `${name}-phone.png`) });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe("variance by source", () => {
  test("a family uploaded into one study shows its decomposition there and nowhere else", async ({ page }) => {
    await signIn(page, E2E.adminEmail);
    const slug = `sources-${Date.now().toString(36)}`;
    await createStudyAsAdmin(page, { name: `Sources ${slug}`, slug });

    await page.goto(`/admin/experiments?study=${slug}`);
    const form = page.locator("section", { has: page.getByRole("heading", { name: "Import a results file" }) });
    await expect(form.getByLabel("Study the results belong to")).toHaveValue(slug);
    await form.getByLabel("Results file").setInputFiles({ name: "results.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(TEXT) });
    await form.getByRole("button", { name: "Import results" }).click();
    await expect(form.getByRole("status")).toContainText(`Imported ${RUNS.length} run(s) into 6 set(s) of study ${slug}`);

    const panel = page.locator(`[data-family="${FAMILY.familyId}"]`);
    await expect(panel).toBeVisible();
    const row = (source: string) => panel.locator(`tr[data-source="${source}"]`);
    for (const expected of FAMILY.rows.filter((candidate) => candidate.status === "measured")) {
      await expect(row(expected.source)).toContainText(`${expected.sd!.toFixed(2)} [${expected.sdInterval!.lower.toFixed(2)}, ${expected.sdInterval!.upper.toFixed(2)}]`);
      await expect(row(expected.source)).toContainText(String(expected.n));
    }
    const init = FAMILY.rows.find((candidate) => candidate.source === "init")!;
    await expect(row("init")).toContainText(`${(init.share!.value * 100).toFixed(0)}%`);
    await expect(row("all")).toContainText("reference (100%)");
    await expect(row("dropout")).toContainText("Not applicable: lenet1 has no dropout layers");
    await expect(row("augmentation")).toContainText("Not applicable");
    await expect(panel).toContainText("every all-fixed run ended with bit-identical weights");
    await expect(panel).toContainText("Dominant source: weight initialisation");
    await expect(panel).toContainText("need not sum to 1");
    await expect(panel.getByRole("alert")).toHaveCount(0);
    await expect(panel.getByRole("img", { name: /SD of test accuracy by source/ })).toBeVisible();
    await expect(panel.locator(".methods-sentence")).toHaveText(FAMILY.methods);
    // The source sets link to their pages, where each one-bit run shows the bit it flipped.
    await row("one-bit").getByRole("link").click();
    await expect(page.getByText(/bit 0 of .*kernel\[\d+\] flipped/).first()).toBeVisible();
    await page.goBack();
    await shoot(page, "source-family");

    // The demo study's page never shows this family (its own sets are there).
    await page.goto("/admin/experiments?study=pham2020");
    await expect(page.getByRole("heading", { name: "Accuracy differences (Table 2)" })).toBeVisible();
    await expect(page.locator(`[data-family="${FAMILY.familyId}"]`)).toHaveCount(0);
    await expect(page.getByText("lenet1-quick · vary-init")).toHaveCount(0);
  });
});
