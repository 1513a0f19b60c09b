import { describe, expect, it } from "vitest";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import type { NextConfig } from "next";

// next.config.js is plain JavaScript (Next loads it without TypeScript).
const nextConfig = (await import("../../../next.config.js" as string)).default as NextConfig;

/**
 * The headers next.config.js sends for a path, applied as Next applies them: every matching rule in order, a
 * later rule's value replacing an earlier one for the same header (and replacing what the route handler set).
 */
async function headersFor(pathname: string): Promise<Record<string, string>> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const result: Record<string, string> = {};
  for (const rule of rules) {
    if (getPathMatch(rule.source)(pathname) === false) continue;
    for (const header of rule.headers) result[header.key.toLowerCase()] = header.value;
  }
  return result;
}

describe("security headers (issue 23 item 9)", () => {
  it("send no-referrer on resume links, whose URL carries the resume secret", async () => {
    expect((await headersFor("/s/pham2020/resume"))["referrer-policy"]).toBe("no-referrer");
  });

  it("keep the global policy elsewhere", async () => {
    expect((await headersFor("/s/pham2020"))["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect((await headersFor("/admin"))["content-security-policy"]).toMatch(/default-src 'self'/);
  });
});
