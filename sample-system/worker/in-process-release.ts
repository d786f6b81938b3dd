// Starts one worker release inside this process as if it were its own deployment: its own
// telemetry (a resource with its service.version), its own Prometheus registry, its queue.
import type { SpanKind } from "@opentelemetry/api";
import type { Registry } from "prom-client";
import type { WorkerRelease } from "../canary/release";
import type { SampleSystemConfig } from "../config";
import type { KnobBoard } from "../knobs";
import type { JobQueue } from "../queue/message";
import type { ArtifactStore } from "../storage/artifacts";
import type { CacheStore } from "../storage/cache-store";
import { createResultCache } from "../storage/create-result-cache";
import { DualMeter } from "../telemetry/dual-meter";
import { startComponentTelemetry, type TelemetryOptions } from "../telemetry/providers";
import { startWorkerHost } from "./worker-host";

export type InProcessReleaseOptions = {
  config: SampleSystemConfig;
  release: WorkerRelease;
  queue: JobQueue;
  knobs: KnobBoard;
  artifacts: ArtifactStore;
  cacheStore: CacheStore | null;
  registry: Registry;
  telemetry: Omit<TelemetryOptions, "serviceVersion" | "automaticRoots">;
  /** Automatic root spans this release owns; only one release in a process can own CONSUMER roots. */
  automaticRoots: SpanKind[];
  workerIds: string[];
};

/** Returns the stop: the workers drain first, then the release's telemetry flushes. */
export async function startInProcessRelease(options: InProcessReleaseOptions): Promise<() => Promise<void>> {
  const { config, release, knobs } = options;
  const telemetry = startComponentTelemetry("sample-worker", { ...options.telemetry, serviceVersion: release.serviceVersion, automaticRoots: options.automaticRoots });
  try {
    const meter = new DualMeter(telemetry.meter, options.registry);
    const cache = options.cacheStore && createResultCache({ store: options.cacheStore, config, knobs, telemetry, meter });
    const host = await startWorkerHost({ config, queue: options.queue, knobs, telemetry, meter, artifacts: options.artifacts, cache, workerIds: options.workerIds, release });
    return async () => {
      try {
        await host.stop();
      } finally {
        await telemetry.shutdown();
      }
    };
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
}
