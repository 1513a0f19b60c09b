import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    // Password hashes in tests need not resist attackers; cost 4 keeps sign-in tests fast.
    env: { VARSTUDY_BCRYPT_COST: "4" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
