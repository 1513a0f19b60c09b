import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxyCount } from "@/lib/security/client-address";
import { describeWait, RateLimiter } from "@/lib/security/rate-limit";

describe("RateLimiter", () => {
  it("allows the limit within a window, refuses the next with the wait, and starts over after the window", () => {
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map((i) => limiter.hit("a", t0 + i).ok)).toEqual([true, true, true]);
    const refused = limiter.hit("a", t0 + 10_000);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 51 });
    // Another key has its own count.
    expect(limiter.hit("b", t0 + 10_000).ok).toBe(true);
    // Refused requests do not extend the window.
    expect(limiter.hit("a", t0 + 60_000)).toMatchObject({ ok: false });
    expect(limiter.hit("a", t0 + 60_001)).toEqual({ ok: true, remaining: 2 });
  });

  it("sweeps expired windows so memory stays bounded under many addresses", () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000 });
    for (let i = 0; i < 10_000; i++) limiter.hit(`old-${i}`, 0);
    expect(limiter.size).toBe(10_000);
    limiter.hit("new", 5000);
    expect(limiter.size).toBe(1);
  });

  it("refuses nonsense rules", () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1000 })).toThrow(/limit/);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow(/windowMs/);
  });

  it("says how long to wait in words", () => {
    expect(describeWait(5)).toBe("a few seconds");
    expect(describeWait(70)).toBe("about a minute");
    expect(describeWait(430)).toBe("about 7 minutes");
  });
});

describe("clientAddress", () => {
  it("takes the last x-forwarded-for entry without a proxy or with one (the one Next or the proxy added)", () => {
    expect(clientAddress("198.51.100.7", 0)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress(" 10.0.0.1 ,198.51.100.7 ", 0)).toBe("198.51.100.7");
  });

  it("counts trusted proxies from the end, so a client-sent entry in front cannot choose the address", () => {
    expect(clientAddress("6.6.6.6, 203.0.113.5, 10.0.0.2", 2)).toBe("203.0.113.5");
    expect(clientAddress("203.0.113.5", 3)).toBe("203.0.113.5");
  });

  it("names a missing address 'unknown' (all such requests share one count)", () => {
    expect(clientAddress(null, 0)).toBe("unknown");
    expect(clientAddress(" , ", 1)).toBe("unknown");
  });

  it("reads VARSTUDY_TRUSTED_PROXIES and refuses a bad value with a clear message", () => {
    expect(trustedProxyCount({})).toBe(0);
    expect(trustedProxyCount({ VARSTUDY_TRUSTED_PROXIES: "2" })).toBe(2);
    expect(() => trustedProxyCount({ VARSTUDY_TRUSTED_PROXIES: "yes" })).toThrow(/whole number from 0 to 10/);
  });
});
