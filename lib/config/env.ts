// Every setting Tailguard reads from the environment, validated once at start (README lists them).
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

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
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  TAILGUARD_PUBLIC_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export type Config = Env & {
  ingestAuth: "required" | "open";
  secureCookies: boolean;
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
      runsWeb: role === "all" || role === "web",
      runsIngest: role === "all" || role === "ingest",
      runsEngine: role === "all" || role === "engine",
    },
  };
}
