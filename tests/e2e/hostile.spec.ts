import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E, formAlert, signIn } from "./helpers";

/**
 * Issue 23 through the production server: what a browser (or a hostile page) really gets. The editor keeps a
 * definition over the action body limit, resume links answer with no-referrer, oversized participant bodies are
 * refused, and an import posted from another origin is refused even with the admin's cookie.
 */
const screenshots = path.resolve(import.meta.dirname, "../../docs/screenshots");

test("[HOSTILE] the questionnaire editor keeps a definition over the size limit and says the limit", async ({ page }) => {
  // Filling and reading back 3.5 MB of text takes most of a minute on a busy machine.
  test.setTimeout(180_000);
  await signIn(page, E2E.adminEmail);
  await page.goto("/admin/questionnaires");
  const editor = page.getByLabel("Definition (YAML or JSON)");
  const mini = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/survey/mini.yaml"), "utf8");
  // 3.5 MB: over the editor's 2 MB and the server action's 3 MB body limit, where Next answered with an error page.
  const huge = `${mini}\n# ${"padding ".repeat(437_500)}\n`;
  await editor.evaluate((element, value) => {
    const textarea = element as HTMLTextAreaElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
    setter.call(textarea, value);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }, huge);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(formAlert(page)).toContainText("The definition is 3.5 MB; at most 2.0 MB can be saved. Your text is still in the editor");
  expect(await page.locator("textarea#definition-create").evaluate((element) => (element as HTMLTextAreaElement).value.length)).toBe(huge.length);
  await expect(page).toHaveURL(/\/admin\/questionnaires$/);
  await page.locator(".definition-editor").screenshot({ path: path.join(screenshots, "questionnaire-editor-too-large.png") });
});

test("[HOSTILE] resume links answer with Referrer-Policy: no-referrer", async ({ request }) => {
  const response = await request.get("/s/pham2020/resume?r=not-a-real-token", { maxRedirects: 0 });
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
});

// (A Content-Length larger than the body sent cannot be produced through Playwright's client, which sets the
// header itself; tests/integration/security/hostile-answers.test.ts covers that case against the route.)
test("[HOSTILE] the participant endpoint refuses a body over 256 KB", async ({ request }) => {
  const big = await request.post("/s/pham2020/answers", { headers: { "content-type": "application/json" }, data: `{"op":"start","t":"${"x".repeat(600 * 1024)}"}` });
  expect(big.status()).toBe(413);
  expect((await big.json()).error).toMatch(/larger than 256 KB/);
});

test("[HOSTILE] a paper import posted from another site with the admin's cookie is refused", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  const response = await page.request.post("/api/literature/import", {
    headers: { origin: "https://evil.example" },
    multipart: { studyId: "anything", format: "ris", file: { name: "p.ris", mimeType: "application/x-research-info-systems", buffer: Buffer.from("TY  - JOUR\nTI  - Planted\nER  - \n") } },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error).toMatch(/other sites/);
});
