import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";

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
