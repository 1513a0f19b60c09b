/**
 * Tokens of the participant side: resume tokens (cookie and resume link), anonymous browser keys and
 * invitation tokens. Only SHA-256 digests are stored, so a copy of the database cannot be used to take
 * over someone's response or invitation.
 */
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";

/** SHA-256 of a token as lowercase hex: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new random token (192 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Whether a string has the shape of a token we issue (cheap check before any database query). */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(value);
}

/**
 * The invitation token of an invitation, derived from its id with a server secret. Deriving it (rather than
 * storing it) lets the admin download the links again at any time while the database still holds only the
 * token's hash.
 */
export function invitationToken(secret: string, invitationId: string): string {
  return createHmac("sha256", secret).update(`invitation:${invitationId}`).digest("base64url").slice(0, 32);
}

/** A seed for the participant's presentation order, in [0, 2^31) so it fits the INTEGER column randomSeed. */
export function newPresentationSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}
