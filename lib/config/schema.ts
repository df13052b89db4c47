import { z } from "zod";

/** One site of the cluster as configured: its id and the base URL its peers use to reach it. */
export type SiteRef = { siteId: string; url: string };

const siteId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "must be a short lowercase id like s0");
const positiveInt = z.coerce.number().int().positive();

/** "s0=http://127.0.0.1:8000,s1=http://127.0.0.1:8001" → [{ siteId, url }] */
const sitesList = z
  .string()
  .min(1)
  .transform((raw, ctx): SiteRef[] => {
    const sites: SiteRef[] = [];
    for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [id, url] = part.split("=", 2);
      const parsedId = siteId.safeParse(id);
      const parsedUrl = z.url({ protocol: /^https?$/ }).safeParse(url);
      if (!parsedId.success || !parsedUrl.success) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not of the form id=http://host:port` });
        return z.NEVER;
      }
      sites.push({ siteId: parsedId.data, url: parsedUrl.data.replace(/\/+$/, "") });
    }
    if (new Set(sites.map((s) => s.siteId)).size !== sites.length) {
      ctx.addIssue({ code: "custom", message: "lists a site id twice" });
      return z.NEVER;
    }
    return sites;
  });

/**
 * Every environment variable a site reads, with its safe default. Documented in README.md
 * ("Configuration"); keep the two in step.
 */
export const envSchema = z.object({
  SITE_ID: siteId,
  PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1),
  SITES: sitesList,
  SITE_SECRET: z.string().min(32, "must be at least 32 characters"),
  SESSION_PASSWORD: z.string().min(32, "must be at least 32 characters"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How long a session seal is valid after it was last renewed (sliding: renewed once half of it has passed). At most 400 days, a browser's cap on a cookie's life. */
  SESSION_TTL_MS: positiveInt.min(60_000).max(400 * 24 * 3600 * 1000).default(30 * 24 * 3600 * 1000),
  BALLOT_WINDOW_MS: positiveInt.default(120_000),
  HEARTBEAT_MS: positiveInt.default(1_000),
  CALL_TIMEOUT_MS: positiveInt.default(2_000),
  SIGNATURE_MAX_AGE_MS: positiveInt.default(30_000),
  SIGNATURE_MAX_SKEW_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  INTERNAL_CALLS_PER_PEER: positiveInt.max(1_000).default(16),
  PREPARE_TIMEOUT_MS: positiveInt.default(300_000),
  INQUIRY_AFTER_MS: positiveInt.default(3_000),
  DECIDE_WAIT_MS: positiveInt.default(3_000),
  RETRY_BASE_MS: positiveInt.default(100),
  RETRY_MAX_MS: positiveInt.default(5_000),
  PEER_CALLS: positiveInt.max(64).default(4),
  /** Bounds of the engine's tables (README "Bounds"). */
  MAX_BACKLOG_PER_PEER: positiveInt.max(10_000_000).default(100_000),
  MAX_RECEIPTS: positiveInt.max(10_000_000).default(200_000),
  RECEIPT_TTL_MS: positiveInt.min(60_000).default(7 * 24 * 3_600_000),
  QUARANTINE_KEEP_ROWS: positiveInt.max(100_000).default(100),
  MAX_IDEMPOTENT_ANSWERS: positiveInt.max(10_000_000).default(100_000),
  /** Blob collection (docs/PROTOCOL.md, "Collecting blobs"): a pass this often, looking at this many files, sparing blobs written within the grace period. */
  BLOB_GC_INTERVAL_MS: positiveInt.min(1_000).default(60_000),
  BLOB_GC_FILES_PER_PASS: positiveInt.max(100_000).default(2_000),
  BLOB_GC_GRACE_MS: positiveInt.min(600_000).default(3_600_000),
  MAX_CONTRIBUTORS: positiveInt.default(10),
  MAX_PHOTOS_PER_PERSON: positiveInt.default(10),
  MAX_PHOTO_BYTES: positiveInt.default(20 * 1024 * 1024),
  MAX_PHOTO_PIXELS: positiveInt.default(50_000_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  FAILPOINTS: z.string().default(""),
  BENCH_ENGINE_ENDPOINT: z.enum(["0", "1"]).default("0"),
  /** Tests only: this site's wall clock runs this far ahead (negative: behind). 0, the default, changes nothing. */
  TEST_CLOCK_OFFSET_MS: z.coerce.number().int().min(-86_400_000).max(86_400_000).default(0),
});

export type Env = z.infer<typeof envSchema>;
