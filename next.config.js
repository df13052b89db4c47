// Every page and API answer carries the site's security headers (scripts/lib/security-headers.js,
// shared with the answers scripts/server.mjs gives before Next.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- next.config.js is CommonJS
const { securityHeaders } = require("./scripts/lib/security-headers.js");

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // One build folder by default; GROUPSHOT_DIST_DIR lets parallel work (or a bench) keep its own.
  distDir: process.env.GROUPSHOT_DIST_DIR || ".next",
  // Native modules stay outside the server bundle (they are loaded from node_modules).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "sharp", "pino", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
