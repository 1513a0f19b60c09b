import { describe, expect, it } from "vitest";
import "./request-boundary";
import { PHAM_PAGES } from "../survey-helpers";
import { participantBrowser, SLUG, slugParams as params, participantDoors } from "./participant-doors";
import { callAction, formData as form, routeRequest, setRequest } from "./request-context";
import { savePageAction } from "@/app/s/[slug]/actions";
import { POST as answersPost } from "@/app/s/[slug]/answers/route";
import { PARTICIPANT_LIMITS, participantLimiters } from "@/app/s/participant-limits";
import { LIMITS } from "@/lib/validation/limits";

/** A body that arrives in chunks with no Content-Length, as a chunked upload does; counts what was pulled. */
function endlessBody(chunkBytes: number, chunks: number) {
  const pulled = { bytes: 0 };
  const chunk = new TextEncoder().encode("x".repeat(chunkBytes));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent++ >= chunks) return controller.close();
        pulled.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled };
}

/**
 * Issue 23, items 1, 2 and 4 at the participant doors: bodies of any size, forged fields, text longer than the
 * form allows, and characters PostgreSQL cannot store. Each must be refused in plain words with nothing written.
 */
describe("hostile input at the participant doors (embedded)", () => {
  const doors = participantDoors();
  let address = 0;
  const nextAddress = () => `198.51.100.${++address}`;

  async function participant() {
    const started = await participantBrowser(doors.db);
    setRequest({ session: null, cookies: started.cookies, headers: { "x-forwarded-for": nextAddress() } });
    return started;
  }

  const postJson = (body: unknown) => answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: JSON.stringify(body) }), params);

  it("refuses a body whose Content-Length is over the cap with 413, without reading it", async () => {
    await participant();
    const { stream, pulled } = endlessBody(64 * 1024, 10_000);
    const request = routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: stream, headers: { "content-length": String(100 * 1024 * 1024) } });
    const response = await answersPost(request, params);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/larger than 256 KB/);
    expect(pulled.bytes).toBeLessThanOrEqual(LIMITS.answersBodyBytes);
  });

  it("stops reading a chunked body as soon as it passes the cap (413)", async () => {
    await participant();
    const { stream, pulled } = endlessBody(64 * 1024, 10_000); // 640 MB if read whole
    const response = await answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: stream }), params);
    expect(response.status).toBe(413);
    expect(pulled.bytes).toBeLessThan(LIMITS.answersBodyBytes + 3 * 64 * 1024);
  });

  it("counts the rate limit before reading the body", async () => {
    setRequest({ session: null, headers: { "x-forwarded-for": "198.51.100.250" } });
    for (let i = 0; i < PARTICIPANT_LIMITS.page.limit; i++) participantLimiters().page.hit("198.51.100.250");
    const { stream, pulled } = endlessBody(64 * 1024, 100);
    const response = await answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body: stream }), params);
    expect(response.status).toBe(429);
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("refuses a page that sends more fields than it has, and writes nothing", async () => {
    const started = await participant();
    const fields: Record<string, string> = { ...(PHAM_PAGES.practice as Record<string, string>) };
    for (let i = 0; i < 2_000; i++) fields[`q.junk${i}`] = "x";
    const response = await postJson({ op: "page", sectionId: "practice", fields });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatch(/more answers than it has questions/);
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(0);
  });

  it("refuses an 'Other' text over 500 characters through the page form, keeping what was typed", async () => {
    const started = await participant();
    const long = "a".repeat(2_500);
    const typed = { _slug: SLUG, _section: "background", _nav: "next", ...PHAM_PAGES.background!, "q.position": "other", "q.position.other": long };
    const result = (await callAction(() => savePageAction(null, form(typed)))) as { fieldErrors?: Record<string, string>; fields?: Record<string, unknown> };
    expect(result.fieldErrors?.position).toBe('Please shorten your "Other" answer to at most 500 characters (it has 2500).');
    expect(result.fields?.["q.position.other"]).toBe(long);
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(0);
  });

  it("refuses an 'Other' text over 500 characters through the JSON route (multiple choice too)", async () => {
    const started = await participant();
    const response = await postJson({ op: "page", sectionId: "background", fields: { ...PHAM_PAGES.background!, "q.frameworks": ["pytorch", "other"], "q.frameworks.other": "b".repeat(501) } });
    expect(response.status).toBe(422);
    expect((await response.json()).fieldErrors).toEqual({ frameworks: expect.stringMatching(/at most 500 characters \(it has 501\)/) });
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(0);
  });

  it("refuses NUL characters in JSON answers with where they are, not a server error", async () => {
    const started = await participant();
    const response = await postJson({ op: "page", sectionId: "awareness", fields: { ...PHAM_PAGES.awareness!, "q.comments": "fine\u0000not fine" } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('fields."q.comments" contains a NUL character (U+0000) at position 5; remove it and try again.');
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(0);
  });

  it("refuses a lone surrogate in the JSON body as sent on the wire", async () => {
    await participant();
    // JSON.stringify would escape it the same way; written out to show the wire form.
    const body = `{"op":"page","sectionId":"awareness","fields":{"q.aware_impl":"no","q.comments":"half an emoji \\ud83d"}}`;
    const response = await answersPost(routeRequest(`/s/${SLUG}/answers`, { method: "POST", body }), params);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^fields\."q\.comments" contains a broken character .* at position 15/);
  });

  it("refuses NUL characters in form textareas and 'Other' boxes as a message on the question", async () => {
    // (Lone surrogates cannot arrive through a form: form fields are USVStrings, decoded with U+FFFD in their place.)
    const started = await participant();
    const other = { _slug: SLUG, _section: "background", _nav: "next", ...PHAM_PAGES.background!, "q.position": "other", "q.position.other": "a\u0000b" };
    const result = (await callAction(() => savePageAction(null, form(other)))) as { fieldErrors?: Record<string, string> };
    expect(result.fieldErrors?.position).toBe('Your "Other" answer contains a NUL character (U+0000) at position 2; remove it and try again.');
    expect(await callAction(() => savePageAction(null, form({ _slug: SLUG, _section: "background", _nav: "next", ...PHAM_PAGES.background! })))).toEqual({ redirect: `/s/${SLUG}` });
    const answered = await doors.db.prisma.answer.count({ where: { responseId: started.responseId } });
    for (const section of ["default_runs", "fixed_seed", "practice"]) await callAction(() => savePageAction(null, form({ _slug: SLUG, _section: section, _nav: "next", ...PHAM_PAGES[section]! })));
    const saved = await doors.db.prisma.answer.count({ where: { responseId: started.responseId } });
    expect(saved).toBeGreaterThan(answered);
    const textarea = { _slug: SLUG, _section: "awareness", _nav: "next", ...PHAM_PAGES.awareness!, "q.comments": "line one\r\nline\u0000two" };
    const refused = (await callAction(() => savePageAction(null, form(textarea)))) as { fieldErrors?: Record<string, string>; fields?: Record<string, unknown> };
    expect(refused.fieldErrors?.comments).toBe("Your answer contains a NUL character (U+0000) at position 14; remove it and try again.");
    expect(refused.fields?.["q.comments"]).toBe("line one\nline\u0000two");
    expect(await doors.db.prisma.answer.count({ where: { responseId: started.responseId } })).toBe(saved);
  });

  it("still saves a normal page through both doors", async () => {
    await participant();
    const response = await postJson({ op: "page", sectionId: "background", fields: { ...PHAM_PAGES.background!, "q.position": "other", "q.position.other": "c".repeat(500) } });
    expect(response.status).toBe(200);
    const second = await participant();
    expect(await callAction(() => savePageAction(null, form({ _slug: SLUG, _section: "background", _nav: "next", ...PHAM_PAGES.background! })))).toEqual({ redirect: `/s/${SLUG}` });
    expect(await doors.db.prisma.answer.count({ where: { responseId: second.responseId } })).toBeGreaterThan(0);
  });
});
