// Copies `job.id` and `job.attempt` from a span's parent to the span at start, so spans made by
// automatic instrumentation inside a job's manual spans carry the job like every other span.
import { trace } from "@opentelemetry/api";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace";
import { ATTR } from "./attributes";

export function jobAttributesProcessor(): SpanProcessor {
  return {
    onStart(span, parentContext) {
      if (span.attributes[ATTR.jobId] !== undefined) return;
      const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
      const jobId = parent?.attributes?.[ATTR.jobId];
      if (jobId === undefined) return;
      span.setAttribute(ATTR.jobId, jobId);
      const attempt = parent?.attributes?.[ATTR.jobAttempt];
      if (attempt !== undefined) span.setAttribute(ATTR.jobAttempt, attempt);
    },
    onEnd: () => undefined,
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}
