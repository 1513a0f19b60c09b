import { defineConfig, devices } from "@playwright/test";
import fs from "node:fs";

/**
 * End-to-end tests drive the production build (`next build` first) in Chromium. Three servers run on fresh
 * embedded databases: one seeded with the demo study, one empty for the first-run setup, and one with the demo
 * plus 901 survey responses for the dashboard.
 */
const basePort = Number(process.env.E2E_PORT ?? 3100);

export const E2E = {
  seededPort: basePort,
  emptyPort: basePort + 1,
  /** Seeded with the demo and 901 responses following the reference study, for the dashboard spec. */
  dashboardPort: basePort + 2,
  adminEmail: "admin@varstudy.local",
  password: "e2e-password-1234",
  authSecret: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
};

const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate)),
);

function server(port: number, mode: "seeded" | "empty", extraSeed?: string) {
  return {
    command: `bash tests/e2e/start-server.sh ${port} ${mode}`,
    url: `http://localhost:${port}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      E2E_PASSWORD: E2E.password,
      E2E_AUTH_SECRET: E2E.authSecret,
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
      E2E_EXTRA_SEED: extraSeed ?? "",
    },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${E2E.seededPort}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      // Root cannot use Chromium's sandbox; the network flags stop it calling home on a closed network.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    server(E2E.seededPort, "seeded"),
    server(E2E.emptyPort, "empty"),
    server(E2E.dashboardPort, "seeded", "tests/e2e/dashboard-seed.ts"),
  ],
});
