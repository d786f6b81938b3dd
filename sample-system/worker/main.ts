// Entry of a separate worker process: reads its configuration from SAMPLE_WORKER_CONFIG, consumes
// from RabbitMQ, takes fault knobs from the knob bus, and drains on SIGTERM.
import "../telemetry/instrumentation"; // first: it must patch pg, amqplib and ioredis before they load
import { SpanKind } from "@opentelemetry/api";
import { Registry } from "prom-client";
import { workerRelease } from "../canary/release";
import { SampleSystemOptionsSchema } from "../config";
import { KnobBoard } from "../knobs";
import { AmqpKnobBus } from "../queue/amqp-knob-bus";
import { AmqpJobQueue } from "../queue/amqp-queue";
import { ArtifactStore } from "../storage/artifacts";
import { MemoryCacheStore, RedisCacheStore } from "../storage/cache-store";
import { createResultCache } from "../storage/create-result-cache";
import { DualMeter } from "../telemetry/dual-meter";
import { startPromServer } from "../telemetry/prom-server";
import { startComponentTelemetry } from "../telemetry/providers";
import { startWorkerHost } from "./worker-host";

const config = SampleSystemOptionsSchema.parse(JSON.parse(process.env.SAMPLE_WORKER_CONFIG ?? "{}"));
if (!config.amqpUrl) throw new Error("a worker process needs amqpUrl");
// A canary's processes run the canary release: its version, its queue, its fault.
const release = workerRelease(config, process.env.SAMPLE_WORKER_ROLE === "canary" ? "canary" : "baseline");

const telemetry = startComponentTelemetry("sample-worker", { otlpEndpoint: config.otlpEndpoint, metricExportIntervalMs: config.metricExportIntervalMs, instanceId: config.instanceId, serviceVersion: release.serviceVersion, automaticRoots: [SpanKind.CONSUMER] });
const registry = new Registry();
const meter = new DualMeter(telemetry.meter, registry);
const knobs = new KnobBoard();
// Knobs come from the system's one bus, whichever queue this release consumes.
const bus = await AmqpKnobBus.open({ url: config.amqpUrl, exchange: `${config.queueName}.knobs` });
await bus.subscribe((k) => knobs.set(k));
const queue = await AmqpJobQueue.open({ url: config.amqpUrl, mainQueue: release.queueName });
const artifacts = new ArtifactStore(config.artifactsDir);
await artifacts.init();
const store = config.mode === "async+cache" ? (config.redisUrl ? new RedisCacheStore(config.redisUrl, config.cacheKeyPrefix) : new MemoryCacheStore()) : null;
const cache = store && createResultCache({ store, config, knobs, telemetry, meter });
const host = await startWorkerHost({ config, queue, knobs, telemetry, meter, artifacts, cache, workerIds: [config.instanceId], release });
const prom = config.metricsPort === null ? null : await startPromServer({ registry, port: config.metricsPort, host: config.host });
console.log(`sample-worker ready (${config.instanceId} ${release.serviceVersion}${prom ? `, metrics ${prom.url}` : ""})`);

// Below the command line's own 6 s: the process that started us sees us gone before it exits itself.
const STOP_DEADLINE_MS = 5_000;

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error(`sample-worker: not stopped within ${STOP_DEADLINE_MS} ms; exiting anyway (unfinished deliveries are redelivered)`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  await host.stop(STOP_DEADLINE_MS - 2_000); // deliveries still running then are aborted and redelivered
  await artifacts.close();
  await queue.close();
  await bus.close();
  await store?.close();
  await prom?.close();
  await telemetry.shutdown();
  process.exit(0);
}
// A promise nobody awaited that failed is a bug to log, not a reason to drop the deliveries in hand.
process.on("unhandledRejection", (reason) => console.error(`sample-worker: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
