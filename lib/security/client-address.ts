/**
 * The address a request came from, for rate limits. Next.js fills x-forwarded-for with the socket's address
 * when the request has none, and a reverse proxy appends the address it saw; so the right entry is counted from
 * the end: the last one with no proxy or one proxy, the one before it with two, and so on
 * (VARSTUDY_TRUSTED_PROXIES, default 0 = the app faces clients directly).
 *
 * Limitation (docs/security.md): without a proxy, a client that sends its own x-forwarded-for header chooses
 * the address it is counted under, because Next keeps a header that is already there. Put the app behind a
 * proxy that overwrites or appends the header, and set VARSTUDY_TRUSTED_PROXIES, for limits that hold.
 */
export function trustedProxyCount(env: Record<string, string | undefined> = process.env): number {
  const raw = env.VARSTUDY_TRUSTED_PROXIES?.trim();
  if (!raw) return 0;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > 10) throw new Error(`VARSTUDY_TRUSTED_PROXIES must be a whole number from 0 to 10 (got "${raw}").`);
  return count;
}

export function clientAddress(forwardedFor: string | null | undefined, proxies: number = trustedProxyCount()): string {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) return "unknown";
  // With more proxies configured than entries present, the first entry is the farthest hop we know of.
  return entries[Math.max(0, entries.length - Math.max(1, proxies))]!;
}
