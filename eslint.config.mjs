// `npm run lint`. Besides the usual TypeScript, React-hooks and Next rules, it keeps the house's layers
// (docs/architecture.md): the rules below are the boundaries that used to hold only through discipline.
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** The database engine: opening, locking, migrating, upkeep and backup. Pages and routes reach it only through lib/db's DAL. */
const ENGINE = String.raw`^(@/lib/db|(\.\./)+lib/db)/engine(/|$)`;
const GENERATED_CLIENT = String.raw`^(@/lib/generated|(\.\./)+lib/generated)(/|$)`;

/** One restriction entry per boundary; each layer's block lists the ones that apply to it. */
const boundary = {
  engine: { regex: ENGINE, message: "app/ reaches the database through lib/db (getDatabase and the DAL), never the engine." },
  generatedClient: {
    regex: GENERATED_CLIENT,
    message: "app/ never touches the generated Prisma client: call a data-access function in lib/db.",
  },
  next: {
    regex: String.raw`^next(/|$)`,
    message: "lib/ is framework-free; only lib/auth/session.ts (the auth glue) may import next/*.",
  },
  app: { regex: String.raw`^(@/app|(\.\./)+app)(/|$)`, message: "lib/ never imports from app/: the arrows point down." },
  statsOutside: {
    regex: String.raw`^(@/(?!lib/stats(/|$))|\.\./)`,
    message: "lib/stats is pure and imports only itself (and npm packages).",
  },
  presetsPlain: {
    regex: String.raw`^(?!zod$|\./names$)`,
    message: "The presets are plain data over lib/runner/names.ts (no TensorFlow.js): the app server reads them too.",
  },
  runnerDb: {
    regex: String.raw`^(@/lib/db|(\.\./)+db)(/|$)`,
    message: "lib/runner is self-contained: the database imports runs, never the other way round.",
  },
};

const restrict = (...patterns) => ["error", { patterns }];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      "lib/generated/**",
      "data/**",
      "tmp/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mjs}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
    settings: { next: { rootDir: "." } },
  },
  { files: ["app/**/*.{ts,tsx}"], rules: { "no-restricted-imports": restrict(boundary.engine, boundary.generatedClient) } },
  { files: ["lib/**/*.ts"], rules: { "no-restricted-imports": restrict(boundary.next, boundary.app) } },
  { files: ["lib/auth/session.ts"], rules: { "no-restricted-imports": restrict(boundary.app) } },
  { files: ["lib/stats/**/*.ts"], rules: { "no-restricted-imports": restrict(boundary.next, boundary.app, boundary.statsOutside) } },
  { files: ["lib/runner/**/*.ts"], rules: { "no-restricted-imports": restrict(boundary.next, boundary.app, boundary.runnerDb) } },
  { files: ["lib/runner/presets.ts", "lib/runner/names.ts"], rules: { "no-restricted-imports": restrict(boundary.presetsPlain) } },
);
