// What both OTLP receivers (HTTP and gRPC) are built from.
import type { Logger } from "../../observability/logger";
import type { Metrics } from "../../observability/metrics";
import type { SpanLimitOptions } from "../core/otlp/span-limits";
import type { ByteBudget } from "./byte-budget";
import type { IngestAuthResult } from "./ingest-auth";
import type { IngestSink } from "./sink";

export type ReceiverOptions = {
  sink: IngestSink;
  authorise: (authorization: string | undefined) => Promise<IngestAuthResult>;
  budget: ByteBudget;
  maxRequestBytes: number;
  logger: Logger;
  metrics: Metrics;
  /** Span limits for spans the receiver decodes itself; the sink must apply the same (spanLimitsFromConfig). */
  spanLimits?: SpanLimitOptions;
};
