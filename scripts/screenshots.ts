import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright";
import { runScript } from "./lib/run-script";

const HELP = `Usage: npm run screenshots [-- --port 3900]

Serves the production build (run \`npx next build\` first) on a fresh demo database and saves a screenshot of each
main page to docs/screenshots/, as the README shows them. Uses Chromium at CHROMIUM_PATH or /usr/bin/chromium.`;

const PASSWORD = "screenshot-password-1234";
const OUT = path.join(process.cwd(), "docs", "screenshots");

/** The pages the README shows: [file name, path, who is signed in, viewport]. */
const SHOTS: Array<{ name: string; path: string; as: "admin" | "annotator" | "anonymous"; phone?: boolean }> = [
  { name: "sign-in", path: "/login", as: "anonymous" },
  { name: "dashboard", path: "/admin/studies/pham2020", as: "admin" },
  { name: "studies", path: "/admin", as: "admin" },
  { name: "questionnaires", path: "/admin/questionnaires", as: "admin" },
  { name: "participant-phone", path: "/s/pham2020", as: "anonymous", phone: true },
  { name: "literature", path: "/admin/literature", as: "admin" },
  { name: "coding", path: "/code", as: "annotator" },
  { name: "experiments", path: "/admin/experiments", as: "admin" },
  { name: "users", path: "/admin/users", as: "admin" },
];

async function waitForServer(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 60_000 });
}

runScript(HELP, async (argv) => {
  const portIndex = argv.indexOf("--port");
  const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : 3900;
  if (!Number.isInteger(port) || port <= 0) throw new Error("--port takes a port number");
  const base = `http://localhost:${port}`;
  const server = spawn("bash", ["tests/e2e/start-server.sh", String(port), "demo"], {
    env: { ...process.env, E2E_PASSWORD: PASSWORD, E2E_AUTH_SECRET: "screenshots-secret-screenshots-secret-0000" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    await waitForServer(`${base}/login`, 180_000);
    const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => Boolean(p && fs.existsSync(p)));
    const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    fs.mkdirSync(OUT, { recursive: true });
    const sessions = new Map<string, Page>();
    for (const shot of SHOTS) {
      const key = `${shot.as}-${shot.phone ? "phone" : "desktop"}`;
      let page = sessions.get(key);
      if (!page) {
        const context = await browser.newContext(shot.phone ? { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, isMobile: true } : { viewport: { width: 1280, height: 860 } });
        page = await context.newPage();
        if (shot.as === "admin") await signIn(page, base, "admin@varstudy.local");
        if (shot.as === "annotator") await signIn(page, base, "ada@varstudy.local");
        sessions.set(key, page);
      }
      const response = await page.goto(`${base}${shot.path}`);
      if (!response || response.status() >= 400) console.warn(`warning: ${shot.path} answered ${response?.status()}`);
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: path.join(OUT, `${shot.name}.png`), fullPage: false });
      console.log(`saved docs/screenshots/${shot.name}.png (${shot.path})`);
    }
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  }
});
