// Every setting Tailguard reads from the environment, validated once at start (README lists them).
import { z } from "zod";
import { ThresholdConfigSchema } from "../signals/core/thresholds";

const port = z.coerce.number().int().min(0).max(65_535);
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const isOrigin = (v: string) => {
  try {
    return new URL(v).origin === v;
  } catch {
    return false;
  }
};

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  TAILGUARD_ROLE: z.enum(["all", "web", "ingest", "engine"]).default("all"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: port.default(3000),
  OTLP_HTTP_PORT: port.default(4318),
  OTLP_GRPC_PORT: port.default(4317),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  TAILGUARD_DATA_DIR: z.string().min(1).default(".data"),
  TAILGUARD_ADMIN_EMAIL: z.string().email().default("admin@tailguard.local"),
  TAILGUARD_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  TAILGUARD_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TAILGUARD_BOOTSTRAP_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,128}$/, "must be 24–128 characters of A–Z, a–z, 0–9, _ or -")
    .optional(),
  TAILGUARD_INGEST_AUTH: z.enum(["required", "open"]).optional(),
  TAILGUARD_SECURE_COOKIES: bool.optional(),
  TAILGUARD_ENGINE_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  TAILGUARD_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  OTLP_MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(32 * 1024 * 1024),
  OTLP_MAX_INFLIGHT_BYTES: z.coerce.number().int().min(1024 * 1024).max(8 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  OTLP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  // In-flight bytes one client address may hold (default: a quarter of OTLP_MAX_INFLIGHT_BYTES).
  OTLP_MAX_INFLIGHT_BYTES_PER_CLIENT: z.coerce.number().int().min(64 * 1024).max(8 * 1024 * 1024 * 1024).optional(),
  // A body that pauses this long between chunks, or averages under the minimum rate, is answered 408 and dropped.
  OTLP_BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(5_000),
  OTLP_MIN_BODY_BYTES_PER_S: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(1024),
  // Span limits as the OpenTelemetry SDK's (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT …), applied again on ingest: longer
  // string values are cut, further attributes, events and links dropped, and both counted on the span.
  OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT: z.coerce.number().int().min(16).max(1024 * 1024).default(16 * 1024),
  OTLP_ATTRIBUTE_COUNT_LIMIT: z.coerce.number().int().min(1).max(10_000).default(128),
  OTLP_SPAN_EVENT_COUNT_LIMIT: z.coerce.number().int().min(0).max(10_000).default(128),
  OTLP_SPAN_LINK_COUNT_LIMIT: z.coerce.number().int().min(0).max(10_000).default(128),
  // Further span/log attribute keys that carry a job ID, tried after job.id (comma-separated).
  OTLP_JOB_ID_KEYS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((k) => k.trim()).filter((k) => k !== "")),
  // Telemetry retention per signal, in days: raw spans/logs/metric points by dropping day partitions;
  // rollups, metric aggregates and the job index by deleting rows.
  TELEMETRY_RETENTION_SPANS_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  TELEMETRY_RETENTION_LOGS_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  TELEMETRY_RETENTION_METRICS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  TELEMETRY_RETENTION_ROLLUPS_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
  // Telemetry write transactions at once (default 1 on PGlite, 3 on PostgreSQL) and batches that may wait.
  TELEMETRY_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(32).optional(),
  TELEMETRY_WRITE_QUEUE_MAX: z.coerce.number().int().min(0).max(1000).default(16),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  TAILGUARD_PUBLIC_URL: z.string().url().optional(),
  // The console's own Faro (browser) telemetry: unset sends to this server's receiver, `off` turns it off, a URL sends to that collector.
  TAILGUARD_FARO_URL: z.union([z.literal("off"), z.string().url("must be off or a URL")]).optional(),
  // Origins other than the console's own whose pages may send to /api/faro/collect (comma-separated, e.g. https://app.example.com).
  TAILGUARD_FARO_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((o) => o.trim()).filter((o) => o !== ""))
    .refine((list) => list.every(isOrigin), "must be comma-separated origins such as https://app.example.com (no path)"),
  TAILGUARD_FARO_MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(5 * 1024 * 1024),
  TAILGUARD_FARO_RATE_PER_S: z.coerce.number().positive().max(100_000).default(50),
  // Test-only console pages such as /debug/faro-error; on by default outside production.
  TAILGUARD_TEST_PAGES: bool.optional(),
  // Webhooks to loopback, private, link-local and metadata addresses are refused unless this is true.
  TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  TAILGUARD_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  TAILGUARD_WEBHOOK_CONCURRENCY_PER_ENDPOINT: z.coerce.number().int().min(1).max(64).default(4),
  // Detector thresholds as JSON: {"defaults": {...}, "services": {"<service.name>": {...}}} over the
  // built-in defaults (lib/signals/core/thresholds.ts), e.g. {"services":{"worker":{"saturation":{"minBacklog":500}}}}.
  TAILGUARD_DETECTION_THRESHOLDS: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(ThresholdConfigSchema),
  // Apply pending migrations at start (under an advisory lock). Set false where one job migrates
  // (Kubernetes: deploy/tailguard/migrate-job.yaml runs `npm run db:migrate`); replicas then wait for it.
  TAILGUARD_MIGRATE_ON_BOOT: bool.default(true),
  // Reverse proxies in front of the console that append to X-Forwarded-For; 0 trusts only the socket's address.
  TAILGUARD_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Failed logins allowed before a lock: per account (email) and per client address.
  TAILGUARD_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(5),
  TAILGUARD_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  // Seconds the detectors wait for telemetry to arrive before judging a window (exporters batch).
  TAILGUARD_DETECTION_LAG_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
});

export type Env = z.infer<typeof EnvSchema>;

export type Config = Env & {
  ingestAuth: "required" | "open";
  secureCookies: boolean;
  testPages: boolean;
  runsWeb: boolean;
  runsIngest: boolean;
  runsEngine: boolean;
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses the environment; problems name the variable and what is wrong with it. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const role = e.TAILGUARD_ROLE;
  return {
    ok: true,
    config: {
      ...e,
      // Open ingestion is a convenience for local demos; production deployments must opt in.
      ingestAuth: e.TAILGUARD_INGEST_AUTH ?? (production ? "required" : "open"),
      secureCookies: e.TAILGUARD_SECURE_COOKIES ?? production,
      testPages: e.TAILGUARD_TEST_PAGES ?? !production,
      runsWeb: role === "all" || role === "web",
      runsIngest: role === "all" || role === "ingest",
      runsEngine: role === "all" || role === "engine",
    },
  };
}
