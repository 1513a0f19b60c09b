// Security headers for every response. Next's runtime injects inline scripts, hence 'unsafe-inline' for scripts;
// everything else is same-origin only, and no other site may frame VarStudy.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build directory lets several builds coexist (e.g. parallel end-to-end runs).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Packages that load WebAssembly or native files must stay outside the server bundle (see DESIGN.md).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/client",
    "pg",
    "bcryptjs",
  ],
  poweredByHeader: false,
  // The questionnaire editor posts definitions up to 2 MB and says so when one is larger; Next's default action
  // body limit (1 MB) would cut in first with an unexplained error.
  experimental: { serverActions: { bodySizeLimit: "3mb" } },
  // Types are checked once, by `npm run typecheck` in the test command, over the whole project (tests and
  // scripts included); the production build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      // Resume links carry their secret in the URL: the page they redirect to must not send it on as a referrer.
      // Listed after the global rule because Next lets the last matching rule win for the same header, and the
      // route's own header is overridden by these.
      { source: "/s/:slug/resume", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

export default nextConfig;
