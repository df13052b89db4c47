/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle (they are loaded from node_modules).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "sharp", "pino", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
