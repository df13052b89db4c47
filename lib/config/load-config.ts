import { envSchema, type SiteRef } from "./schema";

export type SiteConfig = ReturnType<typeof toSiteConfig>;

/** Thrown when the environment is unusable; the message names every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment once into the site's configuration, or throws a ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".") || "environment";
      const value = typeof issue.path[0] === "string" ? env[issue.path[0]] : undefined;
      const shown = value === undefined ? "is missing" : "is invalid";
      return `  ${name} ${shown}: ${issue.message}`;
    });
    throw new ConfigError(`groupshot: bad configuration\n${lines.join("\n")}`);
  }
  const self = parsed.data.SITES.find((s) => s.siteId === parsed.data.SITE_ID);
  if (!self) throw new ConfigError(`groupshot: bad configuration\n  SITES is invalid: it does not list SITE_ID "${parsed.data.SITE_ID}"`);
  return toSiteConfig(parsed.data, self);
}

function toSiteConfig(env: ReturnType<typeof envSchema.parse>, self: SiteRef) {
  const peers: SiteRef[] = env.SITES.filter((s) => s.siteId !== env.SITE_ID);
  const publicUrl = (env.PUBLIC_URL ?? self.url).replace(/\/+$/, "");
  return {
    siteId: env.SITE_ID,
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    sites: env.SITES,
    peers,
    publicUrl,
    /** The origins a browser may send a state-changing request from: PUBLIC_URL's and every site's (never the request's own Host). */
    publicOrigins: [...new Set([publicUrl, ...env.SITES.map((s) => s.url)].map((url) => new URL(url).origin))],
    siteSecret: env.SITE_SECRET,
    sessionPassword: env.SESSION_PASSWORD,
    sessionTtlMs: env.SESSION_TTL_MS,
    /** The session cookie is `Secure` when people reach this site over HTTPS. */
    secureCookies: new URL(publicUrl).protocol === "https:",
    ballotWindowMs: env.BALLOT_WINDOW_MS,
    heartbeatMs: env.HEARTBEAT_MS,
    callTimeoutMs: env.CALL_TIMEOUT_MS,
    signatureMaxAgeMs: env.SIGNATURE_MAX_AGE_MS,
    signatureMaxSkewMs: env.SIGNATURE_MAX_SKEW_MS,
    internalCallsPerPeer: env.INTERNAL_CALLS_PER_PEER,
    prepareTimeoutMs: env.PREPARE_TIMEOUT_MS,
    inquiryAfterMs: env.INQUIRY_AFTER_MS,
    decideWaitMs: env.DECIDE_WAIT_MS,
    retryBaseMs: env.RETRY_BASE_MS,
    retryMaxMs: env.RETRY_MAX_MS,
    peerCalls: env.PEER_CALLS,
    bounds: {
      maxBacklogPerPeer: env.MAX_BACKLOG_PER_PEER,
      maxReceipts: env.MAX_RECEIPTS,
      receiptTtlMs: env.RECEIPT_TTL_MS,
      quarantineKeepRows: env.QUARANTINE_KEEP_ROWS,
      maxIdempotentAnswers: env.MAX_IDEMPOTENT_ANSWERS,
    },
    blobCollection: { intervalMs: env.BLOB_GC_INTERVAL_MS, filesPerPass: env.BLOB_GC_FILES_PER_PASS, graceMs: env.BLOB_GC_GRACE_MS },
    limits: {
      maxContributors: env.MAX_CONTRIBUTORS,
      maxPhotosPerPerson: env.MAX_PHOTOS_PER_PERSON,
      maxPhotoBytes: env.MAX_PHOTO_BYTES,
      maxPhotoPixels: env.MAX_PHOTO_PIXELS,
    },
    logLevel: env.LOG_LEVEL,
    failpoints: env.FAILPOINTS,
    benchEngineEndpoint: env.BENCH_ENGINE_ENDPOINT === "1",
    testClockOffsetMs: env.TEST_CLOCK_OFFSET_MS,
  };
}
