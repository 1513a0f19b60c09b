import "server-only";
import { clientAddress } from "@/lib/security/client-address";
import { describeWait, RateLimiter, type RateRule } from "@/lib/security/rate-limit";

/**
 * Rate limits of the anonymous participant endpoints (consent/start, page saves, resume links), per client
 * address and per app instance. Generous on purpose: a class or a company behind one NAT address may take a
 * questionnaire together. Per 10 minutes and address: 40 starts or declines (a lecture hall), 600 page saves
 * (100 people finishing a six-page questionnaire), 60 resume-link visits.
 *
 * VARSTUDY_SURVEY_RATE_LIMIT=off turns them off: `npm run bench:survey` sets it, since it drives hundreds of
 * simulated participants from 127.0.0.1 on purpose.
 */
const TEN_MINUTES = 10 * 60_000;
export const PARTICIPANT_LIMITS = {
  start: { limit: 40, windowMs: TEN_MINUTES },
  page: { limit: 600, windowMs: TEN_MINUTES },
  resume: { limit: 60, windowMs: TEN_MINUTES },
} as const satisfies Record<string, RateRule>;

export type ParticipantOperation = keyof typeof PARTICIPANT_LIMITS;

type Limiters = Record<ParticipantOperation, RateLimiter>;
const holder = globalThis as unknown as { varstudyParticipantLimiters?: Limiters };

/** One set of counters per process (kept on globalThis so development reloads do not reset them). */
export function participantLimiters(): Limiters {
  holder.varstudyParticipantLimiters ??= {
    start: new RateLimiter(PARTICIPANT_LIMITS.start),
    page: new RateLimiter(PARTICIPANT_LIMITS.page),
    resume: new RateLimiter(PARTICIPANT_LIMITS.resume),
  };
  return holder.varstudyParticipantLimiters;
}

export function participantLimitsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.VARSTUDY_SURVEY_RATE_LIMIT?.trim().toLowerCase() !== "off";
}

export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

const MESSAGES: Record<ParticipantOperation, string> = {
  start: "Too many people have started this questionnaire from your network in the last few minutes.",
  page: "Too many answers were sent from your network in the last few minutes.",
  resume: "Too many resume links were opened from your network in the last few minutes.",
};

/** Counts one request of this kind from the request's address; refuses with a message people understand. */
export function checkParticipantLimit(operation: ParticipantOperation, requestHeaders: Headers): LimitCheck {
  if (!participantLimitsEnabled()) return { ok: true };
  const address = clientAddress(requestHeaders.get("x-forwarded-for"));
  const decision = participantLimiters()[operation].hit(address);
  if (decision.ok) return { ok: true };
  const keep = operation === "page" ? " Your answers on this page are still in the form." : "";
  return { ok: false, retryAfterSeconds: decision.retryAfterSeconds, message: `${MESSAGES[operation]} Please wait ${describeWait(decision.retryAfterSeconds)} and try again.${keep}` };
}
