// The ingest sink over the database: normalise a decoded OTLP request against the clock, store it through the
// telemetry writer (one transaction, acknowledged after commit), and report rejected items as partial success.
import type { Config } from "../../config/env";
import type { WriteResult } from "../write/writer";
import { TelemetryWriter } from "../write/writer";
import { WriteQueueFullError } from "../../db/write-gate";
import type { ExportOutcome } from "../core/otlp/export-response";
import { normaliseLogs } from "../core/otlp/normalise-logs";
import { normaliseMetrics } from "../core/otlp/normalise-metrics";
import { normaliseTraces } from "../core/otlp/normalise-traces";
import { finishSpanRows } from "../core/otlp/pending-span-rows";
import type { SpanLimitOptions } from "../core/otlp/span-limits";
import type { AppContext } from "../../context/app-context";
import { createSloCache } from "../../slo/store/rollups";
import { recordSloEvents } from "../../slo/store/slo-event-metrics";
import { retentionFromConfig } from "../write/retention-config";
import { IngestUnavailableError, type IngestBatch, type IngestSink } from "./sink";

export type TelemetrySinkOptions = {
  writer: TelemetryWriter;
  jobIdKeys?: readonly string[];
  /** Applied to trace and log requests the sink normalises (logs: attribute count and value length); rows decoded by a receiver carry that receiver's limits. */
  spanLimits?: SpanLimitOptions;
  nowMs?: () => number;
};

/** The span limits of the configuration, for the receivers and the sink alike. */
export function spanLimitsFromConfig(config: Config): SpanLimitOptions {
  return {
    attributeValueLengthLimit: config.OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    attributeCountLimit: config.OTLP_ATTRIBUTE_COUNT_LIMIT,
    eventCountLimit: config.OTLP_SPAN_EVENT_COUNT_LIMIT,
    linkCountLimit: config.OTLP_SPAN_LINK_COUNT_LIMIT,
  };
}

function outcome(normalised: { rejected: number; errorMessage: string | null }, written: WriteResult, what: string): ExportOutcome {
  const tooOld = written.tooOld > 0 ? `${written.tooOld} ${what} older than the retention period were dropped` : null;
  return { rejected: normalised.rejected + written.tooOld, errorMessage: normalised.errorMessage ?? tooOld };
}

async function store(opts: TelemetrySinkOptions, batch: IngestBatch): Promise<ExportOutcome> {
  const nowUnixNano = BigInt(Math.round((opts.nowMs ?? Date.now)())) * 1_000_000n;
  const jobIdKeys = opts.jobIdKeys ?? [];
  if (batch.signal === "traces") {
    const r = batch.rows ? finishSpanRows(batch.rows, { nowUnixNano, jobIdKeys }) : normaliseTraces(batch.request, { ...opts.spanLimits, nowUnixNano, jobIdKeys });
    return outcome({ rejected: r.rejectedSpans, errorMessage: r.errorMessage }, await opts.writer.writeSpans(r.spans), "spans");
  }
  if (batch.signal === "metrics") {
    const r = normaliseMetrics(batch.request, { nowUnixNano });
    return outcome({ rejected: r.rejectedDataPoints, errorMessage: r.errorMessage }, await opts.writer.writeMetrics(r.points), "data points");
  }
  const r = normaliseLogs(batch.request, { nowUnixNano, jobIdKeys, attributeCountLimit: opts.spanLimits?.attributeCountLimit, attributeValueLengthLimit: opts.spanLimits?.attributeValueLengthLimit });
  return outcome({ rejected: r.rejectedLogRecords, errorMessage: r.errorMessage }, await opts.writer.writeLogs(r.logs), "log records");
}

export function createTelemetrySink(opts: TelemetrySinkOptions): IngestSink {
  return {
    async accept(batch) {
      try {
        return await store(opts, batch);
      } catch (err) {
        if (err instanceof WriteQueueFullError) throw new IngestUnavailableError(err.message, 1);
        throw err;
      }
    },
    refusal(signal) {
      const kind = signal === "traces" ? "spans" : signal;
      return opts.writer.isBackedUp(kind) ? new IngestUnavailableError(`telemetry writes are backed up (${kind} queue full); retry later`, 1) : null;
    },
  };
}

export function createStoreSink(app: AppContext): IngestSink {
  const { config, db } = app;
  const writer = new TelemetryWriter({
    sql: db.sql,
    concurrency: config.TELEMETRY_WRITE_CONCURRENCY ?? (db.kind === "pglite" ? 1 : 3),
    maxWaitingBatches: config.TELEMETRY_WRITE_QUEUE_MAX,
    retention: retentionFromConfig(config),
    slos: createSloCache(db),
    onSloContributions: (contributions, slos) =>
      recordSloEvents(app.metrics, contributions, new Map(slos.map((s) => [s.id, { name: s.definition.name, service: s.definition.service }]))),
  });
  return createTelemetrySink({ writer, jobIdKeys: config.OTLP_JOB_ID_KEYS, spanLimits: spanLimitsFromConfig(config) });
}
