/** @type {import('next').NextConfig} */
const nextConfig = {
  // One build folder by default; GROUPSHOT_DIST_DIR lets parallel work (or a bench) keep its own.
  distDir: process.env.GROUPSHOT_DIST_DIR || ".next",
  // Native modules stay outside the server bundle (they are loaded from node_modules).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "sharp", "pino", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
