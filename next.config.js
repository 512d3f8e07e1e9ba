// Security headers for every response. The Content-Security-Policy, which needs a per-request nonce, is set by
// proxy.ts on pages; API handlers set their own Cache-Control and nosniff (lib/http/headers.ts).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // native / driver packages stay external (better-sqlite3 and pg are already on Next's default list)
  serverExternalPackages: ["@prisma/adapter-better-sqlite3", "@prisma/adapter-pg"],
  // types are checked once, by `npm run typecheck` (part of npm test), over the whole repo including tests and the
  // CLI; the build need not repeat it
  typescript: { ignoreBuildErrors: true },
  // forbidden(): role-restricted pages answer a real 403
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // authenticated pages and API answers are never stored by browsers or proxies
      { source: "/((?!_next/static|_next/image|favicon.ico).*)", headers: [{ key: "Cache-Control", value: "no-store, max-age=0" }] },
    ];
  },
};

export default nextConfig;
