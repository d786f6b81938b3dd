// What the receivers hand decoded OTLP requests to; the storage write path implements it.
import type { ExportOutcome, OtlpSignal } from "../core/otlp/export-response";
import type { OtlpMetricsRequest } from "../core/otlp/metric-types";
import type { PendingSpanRows } from "../core/otlp/pending-span-rows";
import type { OtlpLogsRequest, OtlpTraceRequest } from "../core/otlp/types";

export type IngestBatch =
  /** `rows`, when present, are the same spans already decoded to rows (trace-batch.ts); the sink prefers them. */
  | { signal: "traces"; request: OtlpTraceRequest; rows?: PendingSpanRows }
  | { signal: "metrics"; request: OtlpMetricsRequest }
  | { signal: "logs"; request: OtlpLogsRequest };

export interface IngestSink {
  /** Resolves once the batch is durable; the receiver acknowledges only then. */
  accept(batch: IngestBatch): Promise<ExportOutcome>;
  /**
   * Why a batch of this signal would be refused right now, before the receiver reads and decodes it; null when it
   * would be taken. Under overload, refusing before decoding keeps the receiver's CPU for the batches it accepts.
   */
  refusal?(signal: OtlpSignal): IngestUnavailableError | null;
}

export type { OtlpSignal };

/** Thrown when the store cannot take more now; receivers answer 503 / UNAVAILABLE with a retry hint. */
export class IngestUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterS = 2,
  ) {
    super(message);
  }
}
