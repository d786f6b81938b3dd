// Starts the whole sample system in this process (API, queue, workers or worker processes, DB,
// artifacts, cache, telemetry) and returns a handle; Tailguard's demo and the CLI both use this.
import "./telemetry/instrumentation"; // first: it must patch http, pg, amqplib and ioredis before they load
import { SpanKind } from "@opentelemetry/api";
import { Registry } from "prom-client";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import { startApiHost } from "./api/api-host";
import { canaryQueueName, canaryVersionOf, canaryWorkerCount, workerRelease } from "./canary/release";
import { optionsFromEnv, SampleSystemOptionsSchema, type SampleSystemConfig, type SampleSystemInput } from "./config";
import { ensureSchema } from "./db/schema";
import { openMeasuredPool } from "./db/open-pool";
import { KnobBoard, type FaultKnobs } from "./knobs";
import { AmqpKnobBus } from "./queue/amqp-knob-bus";
import { AmqpJobQueue } from "./queue/amqp-queue";
import { MemoryJobQueue } from "./queue/memory-queue";
import type { JobQueue, QueueDepth } from "./queue/message";
import { ArtifactStore } from "./storage/artifacts";
import { MemoryCacheStore, RedisCacheStore, type CacheStore } from "./storage/cache-store";
import { DualMeter } from "./telemetry/dual-meter";
import { startPromServer } from "./telemetry/prom-server";
import { startComponentTelemetry } from "./telemetry/providers";
import { createResultCache } from "./storage/create-result-cache";
import { startInProcessRelease } from "./worker/in-process-release";
import { spawnWorkerProcesses } from "./worker/worker-processes";
import { planScenario, type ScenarioName } from "./load/scenarios";
import { runScenario } from "./load/scenario-run";

/** Background load started with the system (the demo's "steady load"); stop() ends it first. */
export type SampleLoadOptions = { scenario?: ScenarioName; ratePerS?: number; durationMs?: number; groundTruthPath?: string; maxInFlight?: number; canaryStartOffsetMs?: number };

export type SampleSystemHandle = {
  apiUrl: string;
  metricsUrl: string | null;
  config: SampleSystemConfig;
  /** Turns fault knobs (in this process and, through AMQP, in worker processes). */
  setKnobs(knobs: Partial<FaultKnobs>): void;
  depth(): QueueDepth;
  queue: JobQueue | null;
  /** The canary release beside the baseline workers (its share of jobs is the canaryShare knob). */
  canary: { version: string; queue: string; workers: number; metricsUrl: string | null } | null;
  stop(): Promise<void>;
};

/** Options override the environment (AMQP_URL, SAMPLE_DATABASE_URL, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT…). */
export async function startSampleSystem(
  options: SampleSystemInput & { spanExporter?: SpanExporter; env?: Record<string, string | undefined>; load?: SampleLoadOptions } = {},
): Promise<SampleSystemHandle> {
  const { spanExporter, env = process.env, load, ...input } = options;
  const config = SampleSystemOptionsSchema.parse({ ...optionsFromEnv(env), ...input });
  if (config.canary && config.mode === "sync") throw new Error("a canary needs a queue between the API and the workers: use mode async or async+cache");
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const c of cleanups.reverse().splice(0)) await Promise.resolve(c()).catch((err: Error) => console.error(`[sample-system] stop: ${err.message}`));
  };
  try {
    const telemetryOptions = { otlpEndpoint: config.otlpEndpoint, spanExporter, metricExportIntervalMs: config.metricExportIntervalMs, instanceId: config.instanceId, serviceVersion: config.serviceVersion };
    const apiTelemetry = startComponentTelemetry("sample-api", { ...telemetryOptions, automaticRoots: [SpanKind.SERVER] });
    cleanups.push(() => apiTelemetry.shutdown());
    const registry = new Registry();
    const apiMeter = new DualMeter(apiTelemetry.meter, registry);

    const { pool: schemaPool } = await openMeasuredPool({ name: "sample-schema", source: config, max: 1, acquireTimeoutMs: 30_000, meter: new DualMeter(apiTelemetry.meter, new Registry()) });
    await ensureSchema(schemaPool, new Date());
    cleanups.push(() => schemaPool.close()); // keeps a shared PGlite open until everything else closed

    const knobs = new KnobBoard();
    const artifacts = new ArtifactStore(config.artifactsDir);
    await artifacts.init();
    cleanups.push(() => artifacts.close()); // after the API and workers: it waits for their last writes
    const queue: JobQueue | null = config.mode === "sync" ? null : config.amqpUrl ? await AmqpJobQueue.open({ url: config.amqpUrl, mainQueue: config.queueName }) : new MemoryJobQueue(config.queueName);
    if (queue) cleanups.push(() => queue.close());
    // The canary's own queue (with its retry and dead-letter queues): every attempt of a job stays on
    // the release that took it, so the canary's failures and retries count against the canary.
    const canaryQueue: JobQueue | null =
      queue && config.canary ? (config.amqpUrl ? await AmqpJobQueue.open({ url: config.amqpUrl, mainQueue: canaryQueueName(config.queueName) }) : new MemoryJobQueue(canaryQueueName(config.queueName))) : null;
    if (canaryQueue) cleanups.push(() => canaryQueue.close());
    const cacheStore: CacheStore | null = config.mode === "async+cache" ? (config.redisUrl ? new RedisCacheStore(config.redisUrl, config.cacheKeyPrefix) : new MemoryCacheStore()) : null;
    if (cacheStore) cleanups.push(() => cacheStore.close());

    const api = await startApiHost({ config, queue, canaryQueue, knobs, telemetry: apiTelemetry, meter: apiMeter, artifacts, cache: cacheStore && createResultCache({ store: cacheStore, config, knobs, telemetry: apiTelemetry, meter: apiMeter }) });
    cleanups.push(() => api.stop());

    let canaryMetricsUrl: string | null = null;
    const separateProcesses = queue instanceof AmqpJobQueue && (config.workerProcesses ?? Boolean(config.databaseUrl));
    if (separateProcesses && !config.databaseUrl) throw new Error("worker processes need SAMPLE_DATABASE_URL: PGlite cannot be shared between processes");
    let knobBus: AmqpKnobBus | null = null;
    if (queue && config.workers > 0 && separateProcesses && config.amqpUrl) {
      knobBus = await AmqpKnobBus.open({ url: config.amqpUrl, exchange: `${config.queueName}.knobs` });
      const bus = knobBus;
      cleanups.push(() => bus.close());
      const processes = await spawnWorkerProcesses({ config, count: config.workers });
      cleanups.push(() => processes.stop());
      if (config.canary) {
        const canaryProcesses = await spawnWorkerProcesses({ config, count: canaryWorkerCount(config), role: "canary", portOffset: config.workers });
        cleanups.push(() => canaryProcesses.stop());
      }
    } else if (queue && config.workers > 0) {
      // amqplib's CONSUMER spans start before any worker code runs, so in one process nothing could
      // tell which release's span each is: on RabbitMQ the releases run as separate processes.
      if (canaryQueue && queue instanceof AmqpJobQueue) throw new Error("a canary on RabbitMQ runs its workers as separate processes: set SAMPLE_DATABASE_URL (PostgreSQL) too");
      const shared = { config, knobs, artifacts, cacheStore, telemetry: telemetryOptions };
      const workerIds = Array.from({ length: config.workers }, (_, i) => `${config.instanceId}-${i}`);
      const releases = [await startInProcessRelease({ ...shared, release: workerRelease(config, "baseline"), queue, registry, automaticRoots: [SpanKind.CONSUMER], workerIds })];
      // Together: each drains its own deliveries, so stopping them one after the other adds the waits up.
      cleanups.push(() => Promise.all(releases.map((stopRelease) => stopRelease())).then(() => undefined));
      if (canaryQueue) {
        // Its own Prometheus registry and port, as a separate deployment would have.
        const canaryRegistry = new Registry();
        const canaryIds = Array.from({ length: canaryWorkerCount(config) }, (_, i) => `${config.instanceId}-canary-${i}`);
        const release = workerRelease(config, "canary");
        releases.push(
          await startInProcessRelease({ ...shared, telemetry: { ...telemetryOptions, instanceId: `${config.instanceId}-canary` }, release, queue: canaryQueue, registry: canaryRegistry, automaticRoots: [], workerIds: canaryIds }),
        );
        if (config.metricsPort !== null) {
          const prom = await startPromServer({ registry: canaryRegistry, port: config.metricsPort === 0 ? 0 : config.metricsPort + 1, host: config.host });
          canaryMetricsUrl = prom.url;
          cleanups.push(() => prom.close());
        }
      }
    }
    let metricsUrl: string | null = null;
    if (config.metricsPort !== null) {
      const prom = await startPromServer({ registry, port: config.metricsPort, host: config.host });
      metricsUrl = prom.url;
      cleanups.push(() => prom.close());
    }
    const handle: SampleSystemHandle = {
      apiUrl: api.url,
      metricsUrl,
      config,
      queue,
      canary: config.canary && canaryQueue ? { version: canaryVersionOf(config) as string, queue: canaryQueue.mainQueue, workers: config.workers > 0 ? canaryWorkerCount(config) : 0, metricsUrl: canaryMetricsUrl } : null,
      depth: () => api.depth(),
      setKnobs(next) {
        knobs.set(next);
        knobBus?.publish(knobs.get());
      },
      stop,
    };
    if (load) {
      const abort = new AbortController();
      const canary = config.canary && { share: config.canary.share, fault: config.canary.fault, startOffsetMs: load.canaryStartOffsetMs };
      const plan = planScenario({ scenario: load.scenario ?? "steady", ratePerS: load.ratePerS, durationMs: load.durationMs ?? 24 * 3600_000, mode: config.mode, canary: canary ?? undefined });
      const groundTruthPath = load.groundTruthPath ?? `.data/sample-runs/${new Date().toISOString().replace(/[:.]/g, "-")}-${plan.scenario}.json`;
      const running = runScenario({ system: handle, plan, groundTruthPath, maxInFlight: load.maxInFlight ?? 2000, maxRequests: Number.MAX_SAFE_INTEGER, signal: abort.signal }).catch((err: Error) =>
        console.error(`[sample-system] load: ${err.message}`),
      );
      cleanups.push(async () => {
        abort.abort();
        await running;
      });
    }
    return handle;
  } catch (err) {
    await stop();
    throw err;
  }
}
