/**
 * Shared pieces of the load scripts (bench:survey, soak, crash test): the simulated participant of the reference
 * questionnaire (pham2020), an HTTP client that keeps cookies, and the checks that compare what the server
 * acknowledged with what the database holds.
 */
import { hashToken } from "@/lib/db/survey-tokens";
import type { SqlRunner } from "@/lib/db/engine/connection";
import type { Rng } from "@/lib/stats/random";

export type Fields = Record<string, string | string[]>;
export type PagePlan = { sectionId: string; fields: Fields };

const pick = <T,>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const subset = (rng: Rng, items: readonly string[]): string[] => {
  const chosen = items.filter(() => rng() < 0.4);
  return chosen.length > 0 ? chosen : [items[0]!];
};
const BINS = ["none", "upto1", "upto2", "upto5", "upto10", "upto20", "over20"];
const TIME_BINS = ["none", "upto5", "upto10", "upto20", "upto50", "over50"];

/** One participant's pages, with random answers that exercise the skip logic (Q21/Q27 only after yes/maybe). */
export function planParticipant(rng: Rng, index: number): PagePlan[] {
  const q20 = pick(rng, ["yes", "maybe", "no"]);
  const q26 = pick(rng, ["yes", "maybe", "no"]);
  return [
    {
      sectionId: "background",
      fields: {
        "q.position": pick(rng, ["industry", "academia"]),
        "q.work_years": String(Math.floor(rng() * 30)),
        "q.dl_years": String(Math.floor(rng() * 10)),
        "q.education": pick(rng, ["no_degree", "bachelor", "master", "phd"]),
        "q.frameworks": subset(rng, ["tensorflow", "keras", "pytorch", "jax", "mxnet"]),
      },
    },
    {
      sectionId: "default_runs",
      fields: {
        "q.Q20": q20,
        ...(q20 === "no" ? {} : { "q.Q21": pick(rng, BINS), "q.Q21_class": pick(rng, BINS) }),
        "q.time_default": pick(rng, TIME_BINS),
      },
    },
    {
      sectionId: "fixed_seed",
      fields: {
        "q.Q26": q26,
        ...(q26 === "no" ? {} : { "q.Q27": pick(rng, BINS), "q.Q27_class": pick(rng, BINS) }),
        "q.time_fixed_seed": pick(rng, TIME_BINS),
      },
    },
    { sectionId: "practice", fields: { "q.model_selection": pick(rng, ["best_val_loss", "best_val_acc", "last_epoch"]), "q.repeat_runs": String(1 + Math.floor(rng() * 5)) } },
    {
      sectionId: "awareness",
      fields: { "q.aware_impl": pick(rng, ["yes", "not_sure", "no"]), "q.known_sources": subset(rng, ["weight_init", "batch_order", "dropout", "parallel_float"]), "q.comments": `bench participant ${index}` },
    },
  ];
}

/** The answers pages should leave in the database: question id → choice ids / number / text. */
export function expectedAnswers(plan: readonly PagePlan[]): Map<string, string> {
  const expected = new Map<string, string>();
  for (const page of plan) {
    for (const [name, value] of Object.entries(page.fields)) {
      const id = name.slice(2);
      expected.set(id, Array.isArray(value) ? `choices:${[...value].sort().join(",")}` : value);
    }
  }
  return expected;
}

export type StoredAnswer = { questionId: string; choiceIds: string[] | null; numberValue: number | null; textValue: string | null };

/** A stored answer in the notation of expectedAnswers, so the two compare as strings. */
export function storedValue(expected: string, answer: StoredAnswer): string {
  if (expected.startsWith("choices:")) return `choices:${[...(answer.choiceIds ?? [])].sort().join(",")}`;
  if (answer.numberValue !== null) return String(answer.numberValue);
  return answer.textValue ?? answer.choiceIds?.[0] ?? "";
}

/** A participant's HTTP session against the JSON endpoint /s/pham2020/answers (cookies kept like a browser). */
export class SurveyClient {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async post(body: unknown, timeoutMs = 60_000): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${this.base}/s/pham2020/answers`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookieHeader() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const json = (await response.json()) as Record<string, unknown>;
    const ms = performance.now() - started;
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { status: response.status, json, ms };
  }
  /** The cookies to send, as a browser would. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  /** SHA-256 of the resume cookie: how the database names this participant's response. */
  responseKey(): string | null {
    const token = this.cookies.get("vs_r_pham2020");
    return token ? hashToken(decodeURIComponent(token)) : null;
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * What one participant was told: the pages acknowledged (200, ok), and the page whose request was in flight
 * when the connection broke (its answers may or may not be stored, but never partly).
 */
export type ParticipantRecord = { responseKey: string; plan: PagePlan[]; acknowledgedPages: number; inFlightPage: boolean };

export type AcknowledgedCheck = {
  participants: number;
  answersAcknowledged: number;
  answersFound: number;
  lost: number;
  wrong: number;
  duplicated: number;
  /** Responses whose stored answers are not exactly the answers of their first k pages, or whose state does not match k. */
  inconsistent: number;
  problems: string[];
};

/**
 * Compares every participant's acknowledged pages with the database: each acknowledged answer stored exactly once
 * with the value sent, and each response whole — its answers are exactly those of its first k pages (k = pages
 * acknowledged, or one more when a request was in flight), its status COMPLETED exactly when k is the last page,
 * and its current section the page after k.
 */
export async function checkAcknowledged(sql: SqlRunner, records: readonly ParticipantRecord[]): Promise<AcknowledgedCheck> {
  const result: AcknowledgedCheck = { participants: records.length, answersAcknowledged: 0, answersFound: 0, lost: 0, wrong: 0, duplicated: 0, inconsistent: 0, problems: [] };
  const note = (problem: string) => {
    if (result.problems.length < 20) result.problems.push(problem);
  };
  const keys = records.map((record) => record.responseKey);
  const responses = await sql.query<{ id: string; resumeTokenHash: string; status: string; currentSection: string | null }>(
    `SELECT id, "resumeTokenHash", status::text AS status, "currentSection" FROM "Response" WHERE "resumeTokenHash" = ANY($1::text[])`,
    [keys],
  );
  const answers = await sql.query<StoredAnswer & { responseId: string }>(
    `SELECT "responseId", "questionId", "choiceIds", "numberValue", "textValue" FROM "Answer" WHERE "responseId" = ANY($1::text[])`,
    [responses.map((response) => response.id)],
  );
  const responseByKey = new Map(responses.map((response) => [response.resumeTokenHash, response]));
  const answersByResponse = new Map<string, StoredAnswer[]>();
  for (const answer of answers) answersByResponse.set(answer.responseId, [...(answersByResponse.get(answer.responseId) ?? []), answer]);

  for (const record of records) {
    const acknowledged = expectedAnswers(record.plan.slice(0, record.acknowledgedPages));
    result.answersAcknowledged += acknowledged.size;
    const response = responseByKey.get(record.responseKey);
    if (!response) {
      if (record.acknowledgedPages > 0) note(`a response with ${record.acknowledgedPages} acknowledged pages is missing`);
      result.lost += acknowledged.size;
      continue;
    }
    const stored = answersByResponse.get(response.id) ?? [];
    const counts = new Map<string, number>();
    for (const answer of stored) counts.set(answer.questionId, (counts.get(answer.questionId) ?? 0) + 1);
    for (const count of counts.values()) if (count > 1) result.duplicated += count - 1;
    for (const [questionId, value] of acknowledged) {
      const answer = stored.find((candidate) => candidate.questionId === questionId);
      if (!answer) {
        result.lost += 1;
        note(`response ${response.id}: acknowledged answer ${questionId} missing`);
      } else if (storedValue(value, answer) !== value) {
        result.wrong += 1;
        note(`response ${response.id}: ${questionId} is ${storedValue(value, answer)}, sent ${value}`);
      } else result.answersFound += 1;
    }
    // Wholeness: the stored question ids must be exactly the answers of the first k pages for an allowed k.
    const storedIds = [...counts.keys()].sort().join(",");
    const allowed = record.inFlightPage ? [record.acknowledgedPages, record.acknowledgedPages + 1] : [record.acknowledgedPages];
    const k = allowed.find((pages) => [...expectedAnswers(record.plan.slice(0, pages)).keys()].sort().join(",") === storedIds);
    if (k === undefined) {
      result.inconsistent += 1;
      note(`response ${response.id}: stored answers [${storedIds}] are not the answers of its first ${allowed.join(" or ")} pages`);
      continue;
    }
    const last = k === record.plan.length;
    const expectedSection = last ? null : record.plan[k]!.sectionId;
    const sectionOk = response.currentSection === expectedSection || (k === 0 && response.currentSection === null);
    if ((response.status === "COMPLETED") !== last || !sectionOk) {
      result.inconsistent += 1;
      note(`response ${response.id}: ${k} pages stored but status ${response.status}, current section ${response.currentSection}`);
    }
  }
  return result;
}
