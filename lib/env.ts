import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";

/**
 * Every environment variable the app server reads, in one schema (documented in .env.example). It is parsed once
 * when the server starts (instrumentation-node.ts), so a bad value stops the start with every problem named,
 * instead of failing on the first request that reads it; the readers below then read the checked values.
 */
const optionalText = z.string().trim().optional();
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be from ${min} to ${max}`)
    .optional();

export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("")),
  VARSTUDY_DATA_DIR: optionalText,
  DATABASE_POOL_SIZE: wholeNumber(1, 200),
  AUTH_SECRET: z.string().trim().min(32, "must be at least 32 characters long").optional().or(z.literal("")),
  NEXTAUTH_SECRET: z.string().trim().min(32, "must be at least 32 characters long").optional().or(z.literal("")),
  NEXTAUTH_URL: z.url("must be the site's address, e.g. https://varstudy.example.org").optional().or(z.literal("")),
  OIDC_ISSUER: z.url("must be the identity provider's address").optional().or(z.literal("")),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: optionalText,
  VARSTUDY_BCRYPT_COST: wholeNumber(4, 15),
  VARSTUDY_JOBS_DIR: optionalText,
  VARSTUDY_EXPORTS_DIR: optionalText,
  VARSTUDY_SURVEY_RATE_LIMIT: z.enum(["on", "off", "ON", "OFF", ""]).optional(),
  VARSTUDY_TRUSTED_PROXIES: wholeNumber(0, 10),
});
export type ServerEnv = z.infer<typeof envSchema>;

/**
 * Checks the whole environment at once.
 * @throws Error naming every variable that is wrong and why.
 */
export function parseServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`The environment is not valid (see .env.example):\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

/** The site's public address when one is configured (NEXTAUTH_URL), for links, cookies and the origin check. */
export function siteUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.NEXTAUTH_URL?.trim() || null;
}

/**
 * The secret that signs session tokens. Server mode requires AUTH_SECRET; the embedded mode generates one on
 * first start and keeps it beside the database (data/db/auth-secret, never committed), so sessions survive
 * restarts without any setup.
 */
export function authSecret(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AUTH_SECRET?.trim() || env.NEXTAUTH_SECRET?.trim();
  if (configured) {
    if (configured.length < 32) throw new Error("AUTH_SECRET must be at least 32 characters long.");
    return configured;
  }
  const target = databaseTargetFromEnv(env);
  if (target.kind === "server") {
    throw new Error("AUTH_SECRET is required when DATABASE_URL points at a PostgreSQL server (e.g. `openssl rand -base64 32`).");
  }
  if (!target.dataDir) return processSecret;
  const file = path.join(path.dirname(target.dataDir), "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    // "wx" fails if another process created it meanwhile; then read theirs.
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}

const processSecret = randomBytes(32).toString("base64url");

/** OpenID Connect sign-in, switched on when all three variables are set. */
export function oidcSettings(env: NodeJS.ProcessEnv = process.env) {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer: issuer.replace(/\/$/, ""), clientId, clientSecret, name: env.OIDC_NAME?.trim() || "Single sign-on" };
}
