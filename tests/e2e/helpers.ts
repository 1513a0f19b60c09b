import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "../../playwright.config";

export { E2E };

/**
 * Signs in through the form, as a person would, and waits until the app has moved on. Password hashing is
 * deliberately slow and the machine may be busy: `timeout` allows for it (more where a spec loads its server).
 */
export async function signIn(page: Page, email: string, password: string = E2E.password, loginPath = "/login", timeout = 30_000) {
  await page.goto(loginPath);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout });
}

/**
 * For a describe block: its tests run on the dashboard server (the demo plus 901 responses and a second study),
 * each signed in as the admin on a desktop-sized page.
 */
export function asAdminOnDashboardServer() {
  test.use({ baseURL: `http://localhost:${E2E.dashboardPort}` });
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, E2E.adminEmail);
  });
}

/** The console errors the page logs from now on (a hydration error shows only there). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

/** Full-page screenshots at desktop and phone width (`<name>-desktop.png`, `<name>-phone.png`); leaves the page at desktop width. */
export async function shootDesktopAndPhone(page: Page, directory: string, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(directory, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: path.join(directory, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Creates a study with the form of the literature area; the new study must open, not the one shown before. */
export async function createStudyAsAdmin(page: Page, study: { name: string; slug: string }) {
  await page.goto("/admin/literature");
  await page.getByText("Create another study").click();
  const create = page.getByRole("form", { name: "Create a study" });
  await create.getByLabel("Name", { exact: true }).fill(study.name);
  await create.getByLabel("Short name").fill(study.slug);
  await create.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("status")).toContainText("Created the study");
  await expect(page).toHaveURL(new RegExp(`study=${study.slug}`));
}

/** The form's own error message (Next's route announcer is an empty alert on every page). */
export function formAlert(page: Page) {
  return page.getByRole("alert").and(page.locator(".notice"));
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You have signed out.")).toBeVisible();
}

let counter = 0;
/** A unique email for this run, so tests never depend on each other's users. */
export function uniqueEmail(prefix: string) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.org`;
}

/** Creates a user through the admin's form; the page must be signed in as an admin. */
export async function createUserAsAdmin(page: Page, user: { name: string; email: string; role?: "Annotator" | "Administrator"; adjudicator?: boolean }) {
  await page.goto("/admin/users");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Add a user" }) });
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Initial password").fill(E2E.password);
  await form.getByLabel("Role").selectOption({ label: user.role ?? "Annotator" });
  if (user.adjudicator) await form.getByLabel("May adjudicate coding conflicts").check();
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toContainText(`Created ${user.email}`);
}

/** On a study's sample page: draws `perStratum` papers from each of the two strata, with a recorded seed. */
export async function drawSample(page: Page, draw: { perStratum: number; seed: number }) {
  const form = page.getByRole("form", { name: "Draw a sample" });
  await form.getByLabel(/SE and systems: papers to sample/).fill(String(draw.perStratum));
  await form.getByLabel(/AI \(machine learning and vision\): papers to sample/).fill(String(draw.perStratum));
  await form.getByLabel("Random seed").fill(String(draw.seed));
  await form.getByRole("button", { name: "Draw the sample" }).click();
  // The recorded draw replaces the form: its size, seed and population fingerprint.
  await expect(page.getByRole("heading", { name: "The sample", exact: true })).toBeVisible();
}

/** Assigns every sampled paper to both coders (no calibration round); the form then gives way to the state it produced. */
export async function assignBothCoders(page: Page, coders: Array<{ name: string }>, papers: number) {
  const assign = page.getByRole("form", { name: "Assign coders" });
  for (const coder of coders) await assign.getByLabel(coder.name).check();
  await assign.getByLabel(/Calibration papers/).fill("0");
  await assign.getByRole("button", { name: new RegExp(`Assign ${papers} paper`) }).click();
  await expect(page.getByText("Every sampled paper is assigned.")).toBeVisible();
}
