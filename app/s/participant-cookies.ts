import "server-only";
import { headers } from "next/headers";
import { newToken } from "@/lib/db/survey-tokens";

/**
 * Cookies of the participant pages. The browser key is an anonymous random value (one per browser, for
 * duplicate protection); the resume cookie holds the resume token of one questionnaire's response. Both are
 * httpOnly; the server stores only their SHA-256.
 */
export const BROWSER_KEY_COOKIE = "vs_bk";
export const resumeCookieName = (slug: string) => `vs_r_${slug}`;

const YEAR = 365 * 24 * 3600;
const RESUME_MAX_AGE = 180 * 24 * 3600;

/** Secure cookies when the site is served over HTTPS (directly or behind a proxy that says so). */
export async function cookieSecurity(): Promise<boolean> {
  const h = await headers();
  return h.get("x-forwarded-proto") === "https" || (h.get("origin") ?? "").startsWith("https:");
}

export function browserKeyCookie(value: string, secure: boolean) {
  return { name: BROWSER_KEY_COOKIE, value, httpOnly: true, sameSite: "lax" as const, secure, path: "/s", maxAge: YEAR };
}

export function resumeCookie(slug: string, token: string, secure: boolean) {
  return { name: resumeCookieName(slug), value: token, httpOnly: true, sameSite: "lax" as const, secure, path: `/s/${slug}`, maxAge: RESUME_MAX_AGE };
}

export const newBrowserKey = newToken;
