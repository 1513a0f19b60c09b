import { afterEach, describe, expect, it, vi } from "vitest";
import "./request-boundary";
import { PHAM_PAGES } from "../survey-helpers";
import { participantBrowser, SLUG, slugParams as params, participantDoors } from "./participant-doors";
import { callAction, formData as form, routeRequest, setRequest } from "./request-context";
import { consentAction, savePageAction } from "@/app/s/[slug]/actions";
import { POST as answersPost } from "@/app/s/[slug]/answers/route";
import { GET as resumeGet } from "@/app/s/[slug]/resume/route";
import { PARTICIPANT_LIMITS, participantLimiters } from "@/app/s/participant-limits";
import { newToken } from "@/lib/db/survey-tokens";

/** Uses up a limit for an address without going through the database. */
function exhaust(operation: keyof typeof PARTICIPANT_LIMITS, address: string) {
  for (let i = 0; i < PARTICIPANT_LIMITS[operation].limit; i++) participantLimiters()[operation].hit(address);
}

describe("rate limits of the anonymous participant endpoints (embedded)", () => {
  const doors = participantDoors();
  afterEach(() => vi.unstubAllEnvs());

  it("lets one address start the allowed number of responses, then refuses with a message and writes nothing", async () => {
    for (let i = 0; i < PARTICIPANT_LIMITS.start.limit; i++) {
      setRequest({ session: null, headers: { "x-forwarded-for": "203.0.113.10" } });
      expect(await callAction(() => consentAction(null, form({ slug: SLUG, choice: "agree" })))).toEqual({ redirect: `/s/${SLUG}` });
    }
    const responses = await doors.db.prisma.response.count();
    expect(responses).toBe(PARTICIPANT_LIMITS.start.limit);
    setRequest({ session: null, headers: { "x-forwarded-for": "203.0.113.10" } });
    const refused = await callAction(() => consentAction(null, form({ slug: SLUG, choice: "agree" })));
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^Too many people have started this questionnaire from your network.*Please wait about (a minute|\d+ minutes) and try again\.$/) });
    const declined = await callAction(() => consentAction(null, form({ slug: SLUG, choice: "decline" })));
    expect(declined).toMatchObject({ error: expect.stringMatching(/Too many/) });
    expect(await doors.db.prisma.response.count()).toBe(responses);
    expect((await doors.db.prisma.questionnaire.findUniqueOrThrow({ where: { slug: SLUG } })).declinedCount).toBe(0);
    // Another address is not affected.
    setRequest({ session: null, headers: { "x-forwarded-for": "203.0.113.11" } });
    expect(await callAction(() => consentAction(null, form({ slug: SLUG, choice: "agree" })))).toEqual({ redirect: `/s/${SLUG}` });
  });

  it("refuses a page save over the limit but gives back what the participant typed", async () => {
    const started = await participantBrowser(doors.db);
    const { cookies } = started;
    exhaust("page", "203.0.113.20");
    setRequest({ session: null, cookies, headers: { "x-forwarded-for": "203.0.113.20" } });
    const typed = { _slug: SLUG, _section: "background", _nav: "next", ...PHAM_PAGES.background! };
    const refused = (await callAction(() => savePageAction(null, form(typed)))) as { error?: string; fields?: Record<string, unknown> };
    expect(refused.error).toMatch(/Too many answers were sent from your network.*Your answers on this page are still in the form\./);
    expect(refused.fields).toMatchObject({ "q.position": "industry", "q.work_years": "6", "q.frameworks": ["tensorflow", "pytorch"] });
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(0);
    // The same save from another address goes through.
    setRequest({ session: null, cookies, headers: { "x-forwarded-for": "203.0.113.21" } });
    expect(await callAction(() => savePageAction(null, form(typed)))).toEqual({ redirect: `/s/${SLUG}` });
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBeGreaterThan(0);
  });

  it("answers 429 with Retry-After on the JSON endpoint and on resume links", async () => {
    exhaust("start", "203.0.113.30");
    exhaust("resume", "203.0.113.30");
    setRequest({ session: null, headers: { "x-forwarded-for": "203.0.113.30" } });
    const before = await doors.db.prisma.response.count();
    const start = await answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: JSON.stringify({ op: "start" }) }), params);
    expect(start.status).toBe(429);
    expect(Number(start.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await start.json()).toEqual({ ok: false, error: expect.stringMatching(/Too many people have started/) });
    expect(await doors.db.prisma.response.count()).toBe(before);
    const resume = await resumeGet(routeRequest(`/s/${SLUG}/resume?r=${newToken()}`), params);
    expect(resume.status).toBe(429);
    expect(resume.headers.get("set-cookie")).toBeNull();
    expect(await resume.text()).toMatch(/Too many resume links/);
  });

  it("counts the address the trusted proxy saw, not one the client put in front", async () => {
    // Two proxies (a CDN and a load balancer): the client's address is the one the CDN appended, second from the end.
    vi.stubEnv("VARSTUDY_TRUSTED_PROXIES", "2");
    exhaust("start", "203.0.113.40");
    setRequest({ session: null, headers: { "x-forwarded-for": "192.0.2.99, 203.0.113.40, 10.0.0.1" } });
    expect(await callAction(() => consentAction(null, form({ slug: SLUG, choice: "agree" })))).toMatchObject({ error: expect.stringMatching(/Too many/) });
  });

  it("is off with VARSTUDY_SURVEY_RATE_LIMIT=off (the survey benchmark)", async () => {
    vi.stubEnv("VARSTUDY_SURVEY_RATE_LIMIT", "off");
    exhaust("start", "127.0.0.1");
    setRequest({ session: null, headers: { "x-forwarded-for": "127.0.0.1" } });
    const start = await answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: JSON.stringify({ op: "start" }) }), params);
    expect(start.status).toBe(200);
  });
});
