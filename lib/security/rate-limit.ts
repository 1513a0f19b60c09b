/**
 * A fixed-window request counter kept in this process's memory. Used for the anonymous participant endpoints,
 * where a database-backed counter (as sign-in uses) would add a write to every page save — the hottest path of
 * the app. The cost of keeping it in memory: each app instance counts on its own, so behind a load balancer the
 * effective limit is the per-instance limit times the number of instances (docs/security.md).
 */
export type RateRule = { limit: number; windowMs: number };

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

type Window = { startedAt: number; count: number };

/** Above this many tracked keys, expired windows are swept so the map cannot grow without bound. */
const SWEEP_ABOVE = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly rule: RateRule) {
    if (!(rule.limit >= 1) || !(rule.windowMs > 0)) throw new Error("A rate rule needs limit >= 1 and windowMs > 0.");
  }

  /** Counts one request for key and says whether it is within the limit. Refused requests are not counted. */
  hit(key: string, now: number = Date.now()): RateDecision {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.rule.windowMs) {
      if (this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.rule.limit) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.rule.windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { ok: true, remaining: this.rule.limit - window.count };
  }

  /** Forgets every count (tests, and an operator's restart does the same). */
  reset(): void {
    this.windows.clear();
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.rule.windowMs) this.windows.delete(key);
  }
}

/** "about 3 minutes" / "about a minute" / "a few seconds", for messages to people. */
export function describeWait(seconds: number): string {
  if (seconds < 45) return "a few seconds";
  const minutes = Math.round(seconds / 60);
  return minutes <= 1 ? "about a minute" : `about ${minutes} minutes`;
}
