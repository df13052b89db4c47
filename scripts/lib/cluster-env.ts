import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

const secretsSchema = z.object({ siteSecret: z.string().min(32), sessionPassword: z.string().min(32) });
export type ClusterSecrets = z.infer<typeof secretsSchema>;

/** Dev secrets, generated once per data folder and reused, so cookies survive a restart. */
export function loadOrCreateSecrets(dataDir: string): ClusterSecrets {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "secrets.json");
  if (existsSync(path)) return secretsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const secrets = { siteSecret: randomBytes(32).toString("hex"), sessionPassword: randomBytes(32).toString("hex") };
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export type SitePlan = { siteId: string; port: number; url: string; dataDir: string };

/** Site ids s0..sN-1 on consecutive loopback ports, each with its own data folder. */
export function planSites(options: { count: number; basePort: number; dataDir: string; host?: string }): SitePlan[] {
  const host = options.host ?? "127.0.0.1";
  return Array.from({ length: options.count }, (_, i) => ({
    siteId: `s${i}`,
    port: options.basePort + i,
    url: `http://${host}:${options.basePort + i}`,
    dataDir: resolve(options.dataDir, `s${i}`),
  }));
}

/** The environment of one site, as README's "Start one site by hand" documents it. */
export function siteEnv(site: SitePlan, all: SitePlan[], secrets: ClusterSecrets, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SITE_ID: site.siteId,
    PORT: String(site.port),
    HOST: "127.0.0.1",
    DATA_DIR: site.dataDir,
    SITES: all.map((s) => `${s.siteId}=${s.url}`).join(","),
    SITE_SECRET: secrets.siteSecret,
    SESSION_PASSWORD: secrets.sessionPassword,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}
