// Prisma CLI configuration. Every Prisma 7 command first tries to download its native schema
// engine, which is unreachable here; a stand-in that exits 1 lets `prisma generate` work and
// makes any accidental `migrate`/`db push` fail loudly instead of silently doing nothing.
// Migrations are applied by lib/db/migrate.ts at site start.
import path from "node:path";
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "scripts", "bin", "no-schema-engine");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
