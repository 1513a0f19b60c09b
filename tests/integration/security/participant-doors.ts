import { afterAll, afterEach, beforeAll } from "vitest";
import { makeAdmin, publishPham } from "../survey-helpers";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./app-database";
import { participantLimiters } from "@/app/s/participant-limits";
import { BROWSER_KEY_COOKIE, resumeCookieName } from "@/app/s/participant-cookies";
import type { Database } from "@/lib/db/engine/connection";
import { startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";

/** The reference questionnaire's slug, and the route parameters of its participant routes. */
export const SLUG = "pham2020";
export const slugParams = { params: Promise.resolve({ slug: SLUG }) };

/** Every participant rate limit back to zero, so one test's calls do not count against the next. */
export function resetParticipantLimits(): void {
  for (const limiter of Object.values(participantLimiters())) limiter.reset();
}

/**
 * The participant doors of one describe block: a fresh embedded database served to the app, with the reference
 * questionnaire published by an admin; the rate limits are reset after each test. Read `.db` inside tests.
 */
export function participantDoors(): { readonly db: TestDatabase } {
  const doors = {} as { db: TestDatabase };
  beforeAll(async () => {
    doors.db = await openAppDatabase();
    await publishPham(doors.db, await makeAdmin(doors.db));
  }, 120_000);
  afterEach(resetParticipantLimits);
  afterAll(() => closeAppDatabase(doors.db));
  return doors;
}

/** A browser that agreed to take part: its new response, and the cookies that carry it (browser key, resume token). */
export async function participantBrowser(db: Database, slug = SLUG) {
  const browserKey = newToken();
  const started = await startResponse(db, { slug, browserKey });
  return { ...started, cookies: { [BROWSER_KEY_COOKIE]: browserKey, [resumeCookieName(slug)]: started.resumeToken } };
}
