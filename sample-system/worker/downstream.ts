// The downstream dependency a worker calls before inference (a feature store): fast and reliable,
// unless the flaky-downstream knob makes a share of its calls fail transiently.
import { SpanKind, type Context, type Tracer } from "@opentelemetry/api";
import type { KnobBoard } from "../knobs";
import { ATTR } from "../telemetry/attributes";
import { inSpan } from "../telemetry/spans";

export class TransientJobError extends Error {
  readonly kind: string;
  constructor(message: string, kind = "transient") {
    super(message);
    this.kind = kind;
  }
}
export class PermanentJobError extends Error {
  readonly kind = "permanent";
}

export class FeatureStore {
  constructor(private readonly knobs: KnobBoard, private readonly tracer: Tracer, private readonly onRequest: (outcome: "ok" | "error") => void) {}

  fetchFeatures(job: { jobId: string; attempt: number }, parent: Context): Promise<void> {
    const attributes = { [ATTR.peerService]: "feature-store", [ATTR.httpMethod]: "GET", [ATTR.serverAddress]: "feature-store.sample.internal", [ATTR.jobId]: job.jobId, [ATTR.jobAttempt]: job.attempt };
    return inSpan(this.tracer, "GET feature-store", { kind: SpanKind.CLIENT, attributes, parent }, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 4));
      if (Math.random() < this.knobs.get().downstreamFailureRatio) {
        this.onRequest("error");
        span.setAttribute(ATTR.httpStatus, 503);
        throw new TransientJobError("feature-store answered 503", "downstream_unavailable");
      }
      this.onRequest("ok");
      span.setAttribute(ATTR.httpStatus, 200);
    });
  }
}
