// Does one attempt of one job, the same way for a queue worker and for the sync API: claim the row,
// try the cache, call the feature store, infer on a GPU slot, upload the artifact, record the result.
import { SpanKind, type Context, type Tracer } from "@opentelemetry/api";
import { requestFingerprint } from "../api/idempotency";
import { inferenceInput } from "../api/schemas";
import type { JobsRepo } from "../db/jobs-repo";
import type { KnobBoard } from "../knobs";
import type { JobMessage } from "../queue/message";
import type { ArtifactStore } from "../storage/artifacts";
import type { ResultCache } from "../storage/result-cache";
import { ATTR } from "../telemetry/attributes";
import { inSpan } from "../telemetry/spans";
import { PermanentJobError, TransientJobError, type FeatureStore } from "./downstream";
import type { SimulatedGpu } from "./gpu";

/** `slotWait` gives up waiting for a GPU slot (a sync request that timed out); `stop` ends the attempt
 * wherever it is (shutdown): nothing is written after it fires. */
export type AttemptSignals = { slotWait?: AbortSignal; stop?: AbortSignal };
export type AttemptOutcome = { kind: "succeeded"; resultUri: string; fromCache: boolean } | { kind: "duplicate"; status: string };
export type JobRunnerDeps = {
  repo: JobsRepo;
  gpu: SimulatedGpu;
  artifacts: ArtifactStore;
  cache: ResultCache | null;
  featureStore: FeatureStore;
  tracer: Tracer;
  knobs: KnobBoard;
  onInference: (seconds: number, slotWaitSeconds: number) => void;
  /** A faulty release (a canary with --canary-fault errors) fails this share of its jobs after inference. */
  releaseFailure?: { ratio: number; random: () => number };
};

export class JobRunner {
  // Identical inputs in flight in this process share one inference (single-flight).
  private readonly inFlight = new Map<string, Promise<string>>();
  constructor(private readonly deps: JobRunnerDeps) {}

  async runAttempt(message: JobMessage, parent: Context, signals: AttemptSignals = {}): Promise<AttemptOutcome> {
    const { repo, cache, knobs } = this.deps;
    signals.stop?.throwIfAborted();
    const ref = { jobId: message.jobId, attempt: message.attempt };
    const claimed = await repo.markRunning(ref, parent);
    if (!claimed) {
      const row = await repo.getJob(message.jobId, parent);
      return { kind: "duplicate", status: row?.status ?? "missing" };
    }
    const simulate = message.payload.simulate;
    if (simulate?.permanentFailure) throw new PermanentJobError("poison job: the model rejects this input");
    if (simulate?.transientFailures && message.attempt <= simulate.transientFailures) throw new TransientJobError(`simulated transient failure on attempt ${message.attempt}`);

    const inputSha256 = requestFingerprint(inferenceInput(message.payload));
    if (cache) {
      const cached = await cache.lookup(inputSha256, ref, parent);
      if (cached) {
        await repo.markSucceeded(ref, cached, parent);
        return { kind: "succeeded", resultUri: cached, fromCache: true };
      }
    }
    // Single-flight belongs to the cache's stampede protection: without a cache every request infers.
    const shared = cache && knobs.get().cacheStampedeProtection ? this.inFlight.get(inputSha256) : undefined;
    if (shared) {
      const resultUri = await shared;
      await repo.markSucceeded(ref, resultUri, parent);
      return { kind: "succeeded", resultUri, fromCache: true };
    }
    const computing = this.compute(message, inputSha256, parent, signals);
    this.inFlight.set(inputSha256, computing);
    try {
      const resultUri = await computing;
      signals.stop?.throwIfAborted();
      // Fill before recording success: whoever sees "succeeded" finds the cache warm.
      if (cache) await cache.fill(inputSha256, resultUri, ref, parent);
      await repo.markSucceeded(ref, resultUri, parent);
      return { kind: "succeeded", resultUri, fromCache: false };
    } finally {
      if (this.inFlight.get(inputSha256) === computing) this.inFlight.delete(inputSha256);
    }
  }

  private async compute(message: JobMessage, inputSha256: string, parent: Context, signals: AttemptSignals): Promise<string> {
    const { gpu, tracer, artifacts, featureStore } = this.deps;
    const ref = { jobId: message.jobId, attempt: message.attempt };
    const jobAttrs = { [ATTR.jobId]: ref.jobId, [ATTR.jobAttempt]: ref.attempt };
    await featureStore.fetchFeatures(ref, parent);
    const timing = await inSpan(tracer, "gpu inference", { kind: SpanKind.INTERNAL, attributes: { ...jobAttrs, [ATTR.gpuId]: gpu.id, "gen_ai.request.model": message.payload.model }, parent }, async (span) => {
      const t = await gpu.infer(signals);
      span.setAttributes({ "sample.gpu.slot_wait_ms": Math.round(t.slotWaitMs), "sample.inference.service_ms": Math.round(t.serviceMs) });
      return t;
    });
    this.deps.onInference(timing.serviceMs / 1000, timing.slotWaitMs / 1000);
    signals.stop?.throwIfAborted();
    const failure = this.deps.releaseFailure;
    // Permanent: a release's bug fails the job on every attempt, so it is dead-lettered, not retried away.
    if (failure && failure.ratio > 0 && failure.random() < failure.ratio) throw new PermanentJobError("release regression: the model output could not be decoded");
    return inSpan(tracer, "PUT artifacts", { kind: SpanKind.CLIENT, attributes: { ...jobAttrs, [ATTR.peerService]: "artifact-store" }, parent }, async (span) => {
      const { uri, sizeBytes } = await artifacts.put(message.jobId, {
        job_id: message.jobId,
        input_sha256: inputSha256,
        model: message.payload.model,
        image: `simulated://${inputSha256.slice(0, 16)}.png`,
        inference_ms: Math.round(timing.serviceMs),
      }, signals.stop);
      span.setAttributes({ "sample.artifact.size_bytes": sizeBytes, "url.full": uri });
      return uri;
    });
  }
}
