// Starts the sample API in this process: its DB pool, rate limiter, the queue-depth poller that
// drives backpressure, the HTTP server, and (sync mode) the in-request inference runner.
import type { SampleSystemConfig } from "../config";
import { JobsRepo } from "../db/jobs-repo";
import { openMeasuredPool } from "../db/open-pool";
import type { KnobBoard } from "../knobs";
import type { JobQueue, QueueDepth } from "../queue/message";
import type { ArtifactStore } from "../storage/artifacts";
import type { ResultCache } from "../storage/result-cache";
import { ATTR } from "../telemetry/attributes";
import type { DualMeter } from "../telemetry/dual-meter";
import { METRICS } from "../telemetry/instruments";
import type { ComponentTelemetry } from "../telemetry/providers";
import { FeatureStore } from "../worker/downstream";
import { SimulatedGpu } from "../worker/gpu";
import { JobRunner } from "../worker/job-runner";
import { DrainRateMeter } from "./backpressure";
import { startHttpServer } from "./http-server";
import { jobRoutes } from "./jobs-api";
import { ClientRateLimiter } from "./token-bucket";
import { seededRandom } from "../../lib/random/seeded";
import { pickRelease } from "../canary/release";

export type ApiHostDeps = {
  config: SampleSystemConfig;
  queue: JobQueue | null;
  /** The canary's queue: new jobs go there with the probability of the canaryShare knob. */
  canaryQueue?: JobQueue | null;
  knobs: KnobBoard;
  telemetry: ComponentTelemetry;
  meter: DualMeter;
  artifacts: ArtifactStore;
  cache: ResultCache | null;
};
export type ApiHost = { url: string; depth(): QueueDepth; stop(): Promise<void> };

export async function startApiHost(deps: ApiHostDeps): Promise<ApiHost> {
  const { config, queue, knobs, telemetry, meter } = deps;
  const { pool, stopObserving } = await openMeasuredPool({ name: "sample-api", source: config, max: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, meter });
  const unsubscribe = knobs.subscribe((k) => pool.setLeakedConnections(k.dbConnectionsLeaked));
  const dbDuration = meter.histogram(METRICS.dbDuration);
  const repo = new JobsRepo(pool, telemetry.tracer, (s, a) => dbDuration.record(s, a));
  const http = meter.histogram(METRICS.httpDuration);
  const rejections = meter.counter(METRICS.rejections);
  const sent = meter.counter(METRICS.sent);
  let active = 0;
  const system = queue?.system === "rabbitmq" ? "rabbitmq" : "sample.in_process";

  // Sync mode: the API owns all the GPU capacity the workers would have had, and waits on it.
  const runner =
    config.mode === "sync"
      ? new JobRunner({
          repo,
          gpu: new SimulatedGpu("gpu-api", config.workers * config.gpuSlotsPerWorker, config.serviceTime, knobs),
          artifacts: deps.artifacts,
          cache: null,
          featureStore: new FeatureStore(knobs, telemetry.tracer, () => undefined),
          tracer: telemetry.tracer,
          knobs,
          onInference: () => undefined,
        })
      : null;

  const queues = [queue, deps.canaryQueue].filter((q): q is JobQueue => Boolean(q));
  let depths: QueueDepth[] = queues.map(() => ({ ready: 0, retrying: 0, dead: 0 }));
  let depth: QueueDepth = { ready: 0, retrying: 0, dead: 0 };
  const drain = new DrainRateMeter(Date.now());
  let lastBacklog = 0;
  const poll = async () => {
    if (!queue) return;
    depths = await Promise.all(queues.map((q) => q.depth()));
    // Backpressure and Retry-After look at the whole backlog, whichever release holds it.
    depth = depths.reduce((a, d) => ({ ready: a.ready + d.ready, retrying: a.retrying + d.retrying, dead: a.dead + d.dead }), { ready: 0, retrying: 0, dead: 0 });
  };
  await poll();
  let polling: Promise<void> = Promise.resolve();
  const poller = setInterval(() => {
    polling = poll().catch(() => undefined);
  }, config.depthPollMs);
  const stops = [
    meter.gauge(METRICS.queueDepth, () => queues.map((q, i) => ({ value: depths[i]?.ready ?? 0, attributes: { [ATTR.messagingDestination]: q.mainQueue } }))),
    meter.gauge(METRICS.retryDepth, () => queues.map((q, i) => ({ value: depths[i]?.retrying ?? 0, attributes: { [ATTR.messagingDestination]: q.mainQueue } }))),
    meter.gauge(METRICS.dlqSize, () => queues.map((q, i) => ({ value: depths[i]?.dead ?? 0, attributes: { [ATTR.messagingDestination]: q.deadLetterQueue } }))),
    meter.gauge(METRICS.httpActive, () => [{ value: active }]),
  ];
  // The drain rate for Retry-After: backlog fall plus what arrived, measured between polls.
  let lastSent = 0;
  let sentTotal = 0;
  const drainTicker = setInterval(() => {
    const backlog = depth.ready + depth.retrying;
    const drained = Math.max(0, lastBacklog + (sentTotal - lastSent) - backlog);
    drain.recordCompletions(drained);
    lastBacklog = backlog;
    lastSent = sentTotal;
  }, Math.max(250, config.depthPollMs)).unref();

  const canaryQueue = deps.canaryQueue;
  const routeRandom = seededRandom(config.canary?.seed ?? 1);
  const routes = jobRoutes({
    mode: config.mode,
    repo,
    queue,
    route: queue && canaryQueue ? () => (pickRelease(routeRandom, knobs.get().canaryShare) === "canary" ? canaryQueue : queue) : undefined,
    runner,
    cache: deps.cache,
    tracer: telemetry.tracer,
    backlogLimit: config.backlogLimit,
    requestTimeoutMs: config.requestTimeoutMs,
    syncRequestTimeoutMs: config.syncRequestTimeoutMs,
    depth: () => depth,
    drainRatePerS: () => drain.rate(Date.now()),
    health: () => ({ mode: config.mode, queue: queue ? { system: queue.system, ...depth } : null, db_pool: pool.stats() }),
    onSent: (destination) => {
      sentTotal++;
      sent.add(1, { [ATTR.messagingSystem]: system, [ATTR.messagingDestination]: destination, [ATTR.messagingOperationName]: "publish" });
    },
    onBackpressure: () => rejections.add(1, { [ATTR.outcome]: "backpressure" }),
  });
  const httpServer = await startHttpServer(
    {
      routes,
      tracer: telemetry.tracer,
      rateLimiter: new ClientRateLimiter(config.rateLimit),
      maxBodyBytes: 64 * 1024,
      onRequest: (s, attrs) => http.record(s, attrs),
      onRejected: (reason) => rejections.add(1, { [ATTR.outcome]: reason }),
      onActiveChange: (d) => void (active += d),
    },
    { host: config.host, port: config.apiPort },
  );
  return {
    url: httpServer.url,
    depth: () => depth,
    async stop() {
      clearInterval(poller);
      clearInterval(drainTicker);
      await polling;
      // Handlers first: a sync request that already answered 504 may still be writing its artifact.
      await httpServer.close({ drainMs: 2_000 });
      unsubscribe();
      stops.forEach((s) => s());
      stopObserving();
      await pool.close();
    },
  };
}
