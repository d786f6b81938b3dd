// Options of the sample system: one zod schema with defaults, filled from the environment
// (AMQP_URL, SAMPLE_DATABASE_URL, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, SAMPLE_*) once, at the edge.
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CanarySchema } from "./canary/release";
import { NORMAL_RETRY_POLICY } from "./queue/backoff";
import { DEFAULT_SERVICE_TIME, ServiceTimeSchema } from "./worker/service-time";

const port = z.number().int().min(0).max(65535);

export const SampleSystemOptionsSchema = z.object({
  mode: z.enum(["sync", "async", "async+cache"]).default("async"),
  host: z.string().default("127.0.0.1"),
  apiPort: port.default(8080),
  /** Prometheus /metrics port; 0 picks a free one, null serves none. Worker processes use the next ports. */
  metricsPort: port.nullable().default(9464),
  amqpUrl: z.string().optional(),
  databaseUrl: z.string().optional(),
  pgliteDataDir: z.string().default("memory://"),
  redisUrl: z.string().optional(),
  otlpEndpoint: z.string().nullable().default("http://127.0.0.1:4318"),
  metricExportIntervalMs: z.number().int().positive().default(5000),
  queueName: z.string().regex(/^[\w.-]+$/).default("jobs"),
  cacheKeyPrefix: z.string().default("tailguard-sample:"),
  artifactsDir: z.string().default(join(tmpdir(), "tailguard-sample-artifacts")),
  workers: z.number().int().min(0).max(64).default(2),
  gpuSlotsPerWorker: z.number().int().min(1).max(64).default(4),
  /** Separate worker processes (needs AMQP and PostgreSQL: PGlite and the in-process queue live in one process). */
  workerProcesses: z.boolean().optional(),
  serviceTime: ServiceTimeSchema.default(DEFAULT_SERVICE_TIME),
  backlogLimit: z.number().int().positive().default(2000),
  rateLimit: z.object({ ratePerS: z.number().positive(), burst: z.number().int().positive() }).default({ ratePerS: 200, burst: 400 }),
  requestTimeoutMs: z.number().int().positive().default(5000),
  syncRequestTimeoutMs: z.number().int().positive().default(30_000),
  dbPoolMax: z.number().int().min(1).default(10),
  dbAcquireTimeoutMs: z.number().int().positive().default(2000),
  cacheTtlMs: z.number().int().positive().default(300_000),
  cacheTtlJitterRatio: z.number().min(0).max(1).default(0.2),
  retry: z
    .object({ maxAttempts: z.number().int().min(1).max(8), baseDelayMs: z.number().int().min(0), maxDelayMs: z.number().int().min(0), jitterRatio: z.number().min(0).max(1) })
    .default(NORMAL_RETRY_POLICY),
  depthPollMs: z.number().int().positive().default(500),
  instanceId: z.string().default(() => randomBytes(3).toString("hex")),
  /** service.version of every component's resource (the baseline release). */
  serviceVersion: z.string().min(1).default("1.0.0"),
  /** A second worker release beside the baseline, on its own queue; null runs none. */
  canary: CanarySchema.nullable().default(null),
});
export type SampleSystemInput = z.input<typeof SampleSystemOptionsSchema>;
export type SampleSystemConfig = z.output<typeof SampleSystemOptionsSchema>;

const EnvSchema = z.object({
  AMQP_URL: z.string().min(1).optional(),
  SAMPLE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().positive().optional(),
  SAMPLE_MODE: z.enum(["sync", "async", "async+cache"]).optional(),
  SAMPLE_API_PORT: z.coerce.number().pipe(port).optional(),
  SAMPLE_METRICS_PORT: z.coerce.number().pipe(port).optional(),
  SAMPLE_PGLITE_DIR: z.string().optional(),
  SAMPLE_ARTIFACTS_DIR: z.string().optional(),
  SAMPLE_QUEUE_NAME: z.string().regex(/^[\w.-]+$/).optional(),
  SAMPLE_SERVICE_VERSION: z.string().min(1).optional(),
});

/** Options named by the environment; explicit options passed to startSampleSystem win over them. */
export function optionsFromEnv(env: Record<string, string | undefined>): SampleSystemInput {
  const r = EnvSchema.safeParse(env);
  if (!r.success) throw new Error(`sample system environment: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = r.data;
  const options: SampleSystemInput = {
    amqpUrl: e.AMQP_URL,
    databaseUrl: e.SAMPLE_DATABASE_URL,
    redisUrl: e.REDIS_URL,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricExportIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL,
    mode: e.SAMPLE_MODE,
    apiPort: e.SAMPLE_API_PORT,
    metricsPort: e.SAMPLE_METRICS_PORT,
    pgliteDataDir: e.SAMPLE_PGLITE_DIR,
    artifactsDir: e.SAMPLE_ARTIFACTS_DIR,
    queueName: e.SAMPLE_QUEUE_NAME,
    serviceVersion: e.SAMPLE_SERVICE_VERSION,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SampleSystemInput;
}
