/**
 * Fuzzing of the anonymous JSON answers endpoint (POST /s/<slug>/answers) over HTTP, for `npm run fuzz:importers
 * -- --http N`. Each fuzzed body goes out from a fresh participant (start, then one page save with the body), so
 * what the database holds for that participant afterwards is exactly what this one request did: the answers the
 * reply said it saved when it was accepted, none when it was refused. Issue 23's shapes are built as JSON (NUL and
 * lone surrogates that decode into text, many fields, a 2,000-character field name, long CJK "Other" text) and as
 * byte mutations of the body (the importer mutations: truncation, UTF-16, huge fields, invalid UTF-8 …). Huge
 * bodies with and without a Content-Length and a cross-site post are sent once each.
 */
import type { SqlRunner } from "@/lib/db/engine/connection";
import type { Rng } from "@/lib/stats/random";
import { describeFetchError } from "./app-client";
import { MUTATIONS } from "./importer-fuzz";
import { planParticipant, SurveyClient, type Fields } from "./survey-load";

const SLUG = "pham2020";
const REQUEST_TIMEOUT_MS = 60_000;
const encoder = new TextEncoder();
const pickInt = (rng: Rng, n: number) => Math.floor(rng() * n);
const CJK = "訓練変動再現性";
const cjk = (chars: number) => CJK.repeat(Math.ceil(chars / CJK.length)).slice(0, chars);

type PageBody = { op: "page"; sectionId: string; fields: Fields; direction?: "next" | "back" };

/** Shapes built as JSON, so that the odd text is decoded by the server rather than breaking the syntax. */
const JSON_SHAPES: Record<string, (body: PageBody, rng: Rng) => PageBody> = {
  "NUL in a decoded value": (body, rng) => withValue(body, rng, (value) => `${value}\u0000`),
  "lone surrogate in a decoded value": (body, rng) => withValue(body, rng, (value) => `${value}${rng() < 0.5 ? "\ud800" : "\udfff"}`),
  "NUL in a field name": (body) => ({ ...body, fields: { ...body.fields, "q.\u0000x": "1" } }),
  "many fields": (body, rng) => ({ ...body, fields: { ...body.fields, ...Object.fromEntries(Array.from({ length: 1_000 + pickInt(rng, 9_000) }, (_, i) => [`q.f${i}`, "1"])) } }),
  "2,000-character field name": (body) => ({ ...body, fields: { ...body.fields, [`q.${"i".repeat(2_000)}`]: "1" } }),
  "2,000-character section id": (body) => ({ ...body, sectionId: "s".repeat(2_000) }),
  // The background page's "Other, please specify": 400 CJK characters fit the 500-character limit (1,200 bytes),
  // 1,000 do not; with NUL or a lone surrogate the text is refused at the boundary.
  "CJK Other text": (body, rng) => ({
    op: "page",
    sectionId: "background",
    fields: { "q.position": "other", "q.position.other": cjk(rng() < 0.5 ? 400 : 1_000), "q.work_years": "3", "q.dl_years": "2", "q.education": "master", "q.frameworks": ["keras"] },
  }),
  "Other text with NUL or surrogate": (body, rng) => ({
    op: "page",
    sectionId: "background",
    fields: { "q.position": "other", "q.position.other": `Lab${["\u0000", "\ud800", "\udc00"][pickInt(rng, 3)]}`, "q.work_years": "3", "q.dl_years": "2", "q.education": "master", "q.frameworks": ["keras"] },
  }),
  "back with bad values": (body) => ({ ...body, direction: "back", fields: Object.fromEntries(Object.keys(body.fields).map((name) => [name, "\u0000"])) }),
  "array where text is expected": (body) => ({ ...body, fields: Object.fromEntries(Object.keys(body.fields).map((name) => [name, ["a", "b"]])) }),
};

function withValue(body: PageBody, rng: Rng, change: (value: string) => string): PageBody {
  const names = Object.keys(body.fields);
  if (names.length === 0) return body;
  const name = names[pickInt(rng, names.length)]!;
  const value = body.fields[name]!;
  return { ...body, fields: { ...body.fields, [name]: Array.isArray(value) ? value.map(change) : change(value) } };
}

/** One fuzzed page-save body: a valid page of a planned participant, one in six left valid, the rest changed. */
export function fuzzedAnswersBody(rng: Rng, index: number): { bytes: Uint8Array; label: string } {
  const pages = planParticipant(rng, index);
  const page = pages[pickInt(rng, pages.length)]!;
  let body: PageBody = { op: "page", sectionId: page.sectionId, fields: page.fields };
  if (index % 6 === 0) return { bytes: encoder.encode(JSON.stringify(body)), label: "valid" };
  const shapes = Object.keys(JSON_SHAPES);
  const mutations = Object.keys(MUTATIONS);
  // Half the files get a JSON shape, half a byte mutation of the body (the importers' list), a quarter of them twice.
  if (rng() < 0.5) {
    const name = shapes[pickInt(rng, shapes.length)]!;
    body = JSON_SHAPES[name]!(body, rng);
    return { bytes: encoder.encode(JSON.stringify(body)), label: name };
  }
  let bytes: Uint8Array = encoder.encode(JSON.stringify(body));
  const applied: string[] = [];
  for (let round = 0; round < (rng() < 0.25 ? 2 : 1); round += 1) {
    const name = mutations[pickInt(rng, mutations.length)]!;
    bytes = MUTATIONS[name]!(bytes, rng);
    applied.push(name);
  }
  return { bytes, label: applied.join(" + ") };
}

export type AnswersTally = {
  route: string;
  files: number;
  accepted: number;
  rejected: number;
  oversizedRefused: boolean;
  crossSiteRefused: boolean;
  failures: string[];
};

/** What one fuzzed participant was told: the answers saved (0 when refused), checked against the database. */
export type AnswersRecord = { responseKey: string; saved: number; label: string };

type Reply = { status: number; json: Record<string, unknown> | null; text: string };

async function postBytes(base: string, client: SurveyClient, body: BodyInit, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${base}/s/${SLUG}/answers`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: client.cookieHeader(), ...headers },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: judged below
  }
  return { status: response.status, json, text };
}

/** A refusal must be a 4xx with a message, or with field errors that name the questions (the located form). */
function judge(reply: Reply): { ok: boolean; saved: number } | { problem: string } {
  const { status, json } = reply;
  if (status >= 500 || json === null || typeof json.ok !== "boolean") return { problem: `${status} ${reply.text.slice(0, 160)}` };
  if (json.ok === true) {
    if (status !== 200 || typeof json.saved !== "number") return { problem: `accepted with ${status} but no count of saved answers: ${reply.text.slice(0, 160)}` };
    return { ok: true, saved: json.saved };
  }
  if (status < 400) return { problem: `refused with status ${status}` };
  const fieldErrors = json.fieldErrors && typeof json.fieldErrors === "object" ? Object.keys(json.fieldErrors) : [];
  if (!(typeof json.error === "string" && json.error.trim()) && fieldErrors.length === 0) return { problem: `${status} refused without a reason: ${reply.text.slice(0, 160)}` };
  return { ok: false, saved: 0 };
}

/** A 20 MB body sent as a stream without a Content-Length (a chunked upload), in 64 KB pieces. */
function streamedBody(totalBytes: number): ReadableStream<Uint8Array> {
  const piece = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      controller.enqueue(piece);
      sent += piece.byteLength;
    },
  });
}

/** Sends `files` fuzzed page saves, then the oversized and cross-site posts; stops early at the deadline. */
export async function fuzzAnswersRoute(
  base: string,
  options: { files: number; rng: Rng; deadline: number; onFile?: (index: number) => void },
): Promise<{ tally: AnswersTally; records: AnswersRecord[] }> {
  const tally: AnswersTally = { route: `/s/${SLUG}/answers`, files: 0, accepted: 0, rejected: 0, oversizedRefused: false, crossSiteRefused: false, failures: [] };
  const records: AnswersRecord[] = [];
  const attempt = async (label: string, request: () => Promise<Reply>): Promise<Reply | null> => {
    try {
      return await request();
    } catch (error) {
      tally.failures.push(`${label}: no answer (${describeFetchError(error)})`);
      return null;
    }
  };
  for (let i = 0; i < options.files && Date.now() < options.deadline; i += 1) {
    options.onFile?.(i);
    const { bytes, label } = fuzzedAnswersBody(options.rng, i);
    const client = new SurveyClient(base);
    const started = await attempt(`#${i} start`, async () => {
      const reply = await client.post({ op: "start" }, REQUEST_TIMEOUT_MS);
      return { status: reply.status, json: reply.json, text: JSON.stringify(reply.json) };
    });
    if (!started) continue;
    if (started.status !== 200) {
      tally.failures.push(`#${i} start: ${started.status} ${started.text.slice(0, 160)}`);
      continue;
    }
    const responseKey = client.responseKey()!;
    const reply = await attempt(`#${i} ${label}`, () => postBytes(base, client, bytes as Uint8Array<ArrayBuffer>));
    tally.files += 1;
    // No answer at all (reset, timeout): whatever was stored is checked against "nothing acknowledged".
    const verdict = reply ? judge(reply) : { ok: false, saved: 0 };
    if ("problem" in verdict) {
      tally.failures.push(`#${i} ${label}: ${verdict.problem}`);
      records.push({ responseKey, saved: 0, label: `#${i} ${label}` });
      continue;
    }
    if (verdict.ok) tally.accepted += 1;
    else tally.rejected += 1;
    records.push({ responseKey, saved: verdict.saved, label: `#${i} ${label}` });
  }

  const client = new SurveyClient(base);
  const start = await attempt("start before the cross-site and oversized posts", async () => {
    const reply = await client.post({ op: "start" }, REQUEST_TIMEOUT_MS);
    return { status: reply.status, json: reply.json, text: JSON.stringify(reply.json) };
  });
  if (start?.status !== 200) return { tally, records };
  const valid = encoder.encode(JSON.stringify({ op: "page", sectionId: "practice", fields: { "q.model_selection": "last_epoch", "q.repeat_runs": "2" } }));
  const crossSite = await attempt("cross-site post", () => postBytes(base, client, valid as Uint8Array<ArrayBuffer>, { origin: "https://evil.example" }));
  tally.crossSiteRefused = crossSite?.status === 403;
  if (crossSite && !tally.crossSiteRefused) tally.failures.push(`cross-site post: ${crossSite.status} ${crossSite.text.slice(0, 160)}`);
  records.push({ responseKey: client.responseKey()!, saved: 0, label: "cross-site post" });
  const huge = new Uint8Array(20 * 1024 * 1024).fill(0x61);
  const declared = await attempt("20 MB body with a Content-Length", () => postBytes(base, client, huge));
  const streamed = await attempt("20 MB body streamed without a length", () => postBytes(base, client, streamedBody(huge.byteLength)));
  tally.oversizedRefused = [declared, streamed].every((reply) => reply?.status === 413 && /larger than/i.test(reply.text));
  for (const [label, reply] of [["20 MB body with a Content-Length", declared], ["20 MB body streamed", streamed]] as const) {
    if (reply && !(reply.status === 413 && /larger than/i.test(reply.text))) tally.failures.push(`${label}: ${reply.status} ${reply.text.slice(0, 160)}`);
  }
  return { tally, records };
}

/**
 * No partial writes: every fuzzed participant's response holds exactly the answers its reply acknowledged (none
 * when refused). Returns the problems found.
 */
export async function checkAnswerWrites(sql: SqlRunner, records: readonly AnswersRecord[]): Promise<string[]> {
  const rows = await sql.query<{ key: string; answers: number }>(
    `SELECT r."resumeTokenHash" AS key, count(a."questionId")::int AS answers FROM "Response" r LEFT JOIN "Answer" a ON a."responseId" = r.id WHERE r."resumeTokenHash" = ANY($1::text[]) GROUP BY r."resumeTokenHash"`,
    [records.map((record) => record.responseKey)],
  );
  const stored = new Map(rows.map((row) => [row.key, row.answers]));
  const problems: string[] = [];
  for (const record of records) {
    const answers = stored.get(record.responseKey);
    if (answers === undefined) problems.push(`${record.label}: its started response is missing`);
    else if (answers !== record.saved) problems.push(`${record.label}: ${answers} answers stored, the reply acknowledged ${record.saved}`);
  }
  return problems;
}
