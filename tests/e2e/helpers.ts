import { expect, type Page } from "@playwright/test";
import { E2E } from "../../playwright.config";

export { E2E };

/** Signs in through the form, as a person would, and waits until the app has moved on. */
export async function signIn(page: Page, email: string, password: string = E2E.password, path = "/login") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Password hashing is deliberately slow, and the machine may be busy: allow for it.
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 30_000 });
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
