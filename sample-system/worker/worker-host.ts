// Starts N GPU workers in this process around one queue: their DB pool, simulated GPUs with
// gauges, job runners and consumers. Used in the API process (embedded) and in worker processes.
import type { Context } from "@opentelemetry/api";
import type { SampleSystemConfig } from "../config";
import { JobsRepo } from "../db/jobs-repo";
import { openMeasuredPool } from "../db/open-pool";
import type { KnobBoard } from "../knobs";
import type { JobQueue } from "../queue/message";
import type { ArtifactStore } from "../storage/artifacts";
import type { ResultCache } from "../storage/result-cache";
import { ATTR } from "../telemetry/attributes";
import type { DualMeter } from "../telemetry/dual-meter";
import { METRICS } from "../telemetry/instruments";
import type { ComponentTelemetry } from "../telemetry/providers";
import { seededRandom } from "../../lib/random/seeded";
import type { WorkerRelease } from "../canary/release";
import { FeatureStore } from "./downstream";
import { SimulatedGpu } from "./gpu";
import { JobRunner } from "./job-runner";
import { Worker } from "./worker";
import { createWorkerInstruments } from "./worker-instruments";

export type WorkerHostDeps = {
  config: SampleSystemConfig;
  queue: JobQueue;
  knobs: KnobBoard;
  telemetry: ComponentTelemetry;
  meter: DualMeter;
  artifacts: ArtifactStore;
  cache: ResultCache | null;
  workerIds: string[];
  /** The release these workers run (service time, failures); the configured baseline when absent. */
  release?: Pick<WorkerRelease, "serviceTime" | "failureRatio" | "seed">;
};

export async function startWorkerHost(deps: WorkerHostDeps): Promise<{ stop(drainMs?: number): Promise<void> }> {
  const { config, knobs, telemetry, meter } = deps;
  const instruments = createWorkerInstruments(meter);
  const { pool, stopObserving } = await openMeasuredPool({ name: `sample-worker-${deps.workerIds[0] ?? "0"}`, source: config, max: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, meter });
  const unsubscribe = knobs.subscribe((k) => pool.setLeakedConnections(k.dbConnectionsLeaked));
  pool.setLeakedConnections(knobs.get().dbConnectionsLeaked);
  const dbDuration = meter.histogram(METRICS.dbDuration);
  const repo = new JobsRepo(pool, telemetry.tracer, (s, a) => dbDuration.record(s, a));
  const featureStore = new FeatureStore(knobs, telemetry.tracer, (outcome) => instruments.downstream.add(1, { [ATTR.peerService]: "feature-store", [ATTR.outcome]: outcome }));
  const log = (severity: "INFO" | "WARN" | "ERROR", body: string, attributes: Record<string, string | number>, ctx: Context) =>
    telemetry.logger.emit({ severityText: severity, severityNumber: severity === "ERROR" ? 17 : severity === "WARN" ? 13 : 9, body, attributes, context: ctx });

  const gpus = deps.workerIds.map((id) => new SimulatedGpu(`gpu-${id}`, config.gpuSlotsPerWorker, deps.release?.serviceTime ?? config.serviceTime, knobs));
  const releaseFailure = deps.release && deps.release.failureRatio > 0 ? { ratio: deps.release.failureRatio, random: seededRandom(deps.release.seed) } : undefined;
  const stops = [
    meter.gauge(METRICS.busySlots, () => gpus.map((g, i) => ({ value: g.busySlots(), attributes: { [ATTR.workerId]: deps.workerIds[i] ?? g.id } }))),
    meter.gauge(METRICS.gpuUtilization, () => gpus.map((g) => ({ value: g.utilization(), attributes: { [ATTR.gpuId]: g.id } }))),
    meter.gauge(METRICS.gpuMemory, () => gpus.map((g) => ({ value: g.memoryUsedBytes(), attributes: { [ATTR.gpuId]: g.id } }))),
    meter.gauge(METRICS.gpuMemoryLimit, () => gpus.map((g) => ({ value: SimulatedGpu.MEMORY_LIMIT_BYTES, attributes: { [ATTR.gpuId]: g.id } }))),
  ];
  const workers = gpus.map((gpu, i) => {
    const workerId = deps.workerIds[i] ?? gpu.id;
    const runner = new JobRunner({
      repo,
      gpu,
      artifacts: deps.artifacts,
      cache: deps.cache,
      featureStore,
      tracer: telemetry.tracer,
      knobs,
      releaseFailure,
      onInference: (s, waitS) => {
        instruments.inferenceDuration.record(s, { [ATTR.workerId]: workerId });
        instruments.slotWait.record(waitS, { [ATTR.workerId]: workerId });
      },
    });
    return new Worker({ workerId, queue: deps.queue, gpu, runner, repo, tracer: telemetry.tracer, knobs, retryPolicy: config.retry, instruments, log });
  });
  for (const w of workers) await w.start();
  return {
    /** Resolves once no delivery runs any more (see Worker.stop). */
    async stop(drainMs?: number) {
      // Together: each drains its own deliveries, so stopping them one by one only adds the waits up.
      await Promise.all(workers.map((w) => w.stop(drainMs)));
      unsubscribe();
      stops.forEach((s) => s());
      stopObserving();
      await pool.close();
    },
  };
}
