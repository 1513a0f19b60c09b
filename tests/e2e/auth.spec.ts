import { expect, test } from "@playwright/test";
import { createUserAsAdmin, E2E, formAlert, signIn, signOut, uniqueEmail } from "./helpers";

test("[SETUP] first run creates the first administrator, keeping what was typed when a field is wrong", async ({ page }) => {
  const base = `http://localhost:${E2E.emptyPort}`;
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/setup`);
  await expect(page.getByRole("heading", { name: "Welcome to VarStudy" })).toBeVisible();

  await page.getByLabel("Your name").fill("Rosalind");
  await page.getByLabel("Email").fill("rosalind@example.org");
  await page.getByLabel("Password", { exact: true }).fill(E2E.password);
  await page.getByLabel("Repeat the password").fill("something-else-entirely");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByText("The two passwords differ.")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveValue("Rosalind");
  await expect(page.getByLabel("Email")).toHaveValue("rosalind@example.org");

  await page.getByLabel("Password", { exact: true }).fill(E2E.password);
  await page.getByLabel("Repeat the password").fill(E2E.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("status")).toContainText("Administrator account created");

  // The setup page is one-time: it now refuses.
  await page.goto(`${base}/setup`);
  await expect(page.getByRole("heading", { name: "Setup is complete" })).toBeVisible();

  await signIn(page, "rosalind@example.org", E2E.password, `${base}/login`);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toBeVisible();
});

test("[AUTH] an admin signs in and out", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  await expect(page.getByText("Demo administrator · Admin")).toBeVisible();
  await signOut(page);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin/);
});

test("[AUTH] a wrong password is refused with a plain message, and repeated failures are rate-limited", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  const email = uniqueEmail("victim");
  await createUserAsAdmin(page, { name: "Victim", email });
  await signOut(page);

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(formAlert(page)).toHaveText("That email and password do not match an active account.");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  for (let attempt = 2; attempt <= 5; attempt++) {
    await page.getByLabel("Password").fill(`wrong-${attempt}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  // Even the right password is refused once the account is locked for the window.
  await page.getByLabel("Password").fill(E2E.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(formAlert(page)).toHaveText(/Too many failed attempts/);
});

test("[AUTH] an anonymous visitor is sent to sign in, then back where they were going", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers/);
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(E2E.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
});

test("[ROLES] an admin creates an annotator, who signs in and sees only the annotator's places", async ({ page }) => {
  await signIn(page, E2E.adminEmail);
  const email = uniqueEmail("annotator");
  await createUserAsAdmin(page, { name: "New Annotator", email });
  await expect(page.getByRole("cell", { name: email, exact: true })).toBeVisible();
  await signOut(page);

  await signIn(page, email);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Coding" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "You cannot open that page" })).toBeVisible();
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "You cannot open that page" })).toBeVisible();
});

test("[ROLES] an annotator calling the admin's server action directly is refused and nothing changes", async ({ browser }) => {
  // Guards against authorization living only in pages: server actions are public POST endpoints.
  const admin = await browser.newPage();
  await signIn(admin, E2E.adminEmail);
  const annotatorEmail = uniqueEmail("caller");
  await createUserAsAdmin(admin, { name: "Caller", email: annotatorEmail });

  // Capture how the browser calls the "create user" action, to replay it with the annotator's cookies.
  const form = admin.locator("section", { has: admin.getByRole("heading", { name: "Add a user" }) });
  const victim = uniqueEmail("smuggled");
  await form.getByLabel("Name").fill("Smuggled");
  await form.getByLabel("Email").fill(victim);
  await form.getByLabel("Initial password").fill("short");
  const requestPromise = admin.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await form.getByRole("button", { name: "Add user" }).click();
  const captured = await requestPromise;
  await expect(form.getByText("Use at least 10 characters.")).toBeVisible();

  const annotatorContext = await browser.newContext();
  const annotator = await annotatorContext.newPage();
  await signIn(annotator, annotatorEmail);
  const body = (captured.postData() ?? "").replace('"short"', JSON.stringify(E2E.password)).replace(/short(?=\r?\n)/, E2E.password);
  const response = await annotatorContext.request.post(captured.url(), {
    headers: { "next-action": captured.headers()["next-action"]!, "content-type": captured.headers()["content-type"]!, accept: "text/x-component" },
    data: body,
  });
  expect(await response.text()).toContain("You do not have permission to do this.");

  await admin.goto("/admin/users");
  await expect(admin.getByRole("cell", { name: victim, exact: true })).toHaveCount(0);
  await annotatorContext.close();
});

test("[USERS] a deactivated user loses access at once, even with a session open", async ({ page, browser }) => {
  await signIn(page, E2E.adminEmail);
  const email = uniqueEmail("leaver");
  await createUserAsAdmin(page, { name: "Leaver", email });

  const leaverContext = await browser.newContext();
  const leaver = await leaverContext.newPage();
  await signIn(leaver, email);
  await leaver.goto("/code");
  await expect(leaver.getByRole("heading", { name: "Your coding queue" })).toBeVisible();

  await page.goto("/admin/users");
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
  await row.getByRole("button", { name: `Deactivate ${email}` }).click();
  await expect(row.getByRole("status")).toContainText(`Deactivated ${email}`);

  await leaver.goto("/code");
  await expect(leaver).toHaveURL(/\/login/);
  await leaver.goto("/login");
  await leaver.getByLabel("Email").fill(email);
  await leaver.getByLabel("Password").fill(E2E.password);
  await leaver.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(formAlert(leaver)).toHaveText("That email and password do not match an active account.");
  await leaverContext.close();
});

test("[ERRORS] an unknown address shows a plain not-found page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
