// Interop: the official OTLP/HTTP protobuf metrics and logs exporters, driven by the SDK 3 MeterProvider and
// LoggerProvider, send to the real receiver and writer; points, per-minute aggregates and log records read back
// exactly as the SDK exported them (expectations come from what the exporter was handed, not from constants).
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SeverityNumber, context, trace, type Attributes, type HrTime } from "@opentelemetry/api";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from "@opentelemetry/sdk-logs";
import {
  AggregationTemporality, DataPointType, MeterProvider, PeriodicExportingMetricReader,
  type AggregationOption, type InstrumentType, type PushMetricExporter, type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SqlRunner } from "../lib/db/sql-runner";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { ByteBudget } from "../lib/telemetry/receive/byte-budget";
import { createOtlpHttpServer } from "../lib/telemetry/receive/http-receiver";
import { createTelemetrySink } from "../lib/telemetry/receive/store-sink";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { metricSeries } from "../lib/telemetry/query/metric-series";
import { getTrace } from "../lib/telemetry/query/trace";
import { describeEachDatabase } from "./helpers/databases";

const nsOf = ([s, ns]: HrTime): bigint => BigInt(s) * 1_000_000_000n + BigInt(ns);
const minuteOf = (ns: bigint): number => Number(ns / 60_000_000_000n);

async function startReceiver(sql: SqlRunner) {
  const writer = new TelemetryWriter({ sql, concurrency: 1, maxWaitingBatches: 16 });
  const server = createOtlpHttpServer({
    sink: createTelemetrySink({ writer }), authorise: async () => ({ ok: true }), budget: new ByteBudget(64 * 1024 * 1024),
    maxRequestBytes: 8 * 1024 * 1024, requestTimeoutMs: 10_000, logger: createLogger({ level: "error", sink: () => undefined }), metrics: createMetrics(),
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One data point as the SDK handed it to the exporter. */
type SentPoint = {
  name: string; unit: string; type: DataPointType; temporality: AggregationTemporality; isMonotonic: boolean | null;
  attributes: Attributes; startNs: bigint; timeNs: bigint;
  value: number | { count: number; sum: number; min: number; max: number; boundaries: number[]; counts: number[] };
};

/** Forwards to the official exporter and keeps a copy of every data point that was exported successfully. */
class RecordingMetricExporter implements PushMetricExporter {
  readonly sent: SentPoint[] = [];
  constructor(private readonly inner: OTLPMetricExporter) {}

  export(metrics: ResourceMetrics, done: Parameters<PushMetricExporter["export"]>[1]): void {
    const points: SentPoint[] = metrics.scopeMetrics.flatMap((scope) => scope.metrics.flatMap((m) => m.dataPoints.map((p) => {
      const v = p.value as number | { count: number; sum?: number; min?: number; max?: number; buckets: { boundaries: number[]; counts: number[] } };
      return {
        name: m.descriptor.name, unit: m.descriptor.unit, type: m.dataPointType, temporality: m.aggregationTemporality,
        isMonotonic: m.dataPointType === DataPointType.SUM ? m.isMonotonic : null,
        attributes: { ...p.attributes }, startNs: nsOf(p.startTime), timeNs: nsOf(p.endTime),
        value: typeof v === "number" ? v : { count: v.count, sum: v.sum ?? NaN, min: v.min ?? NaN, max: v.max ?? NaN, boundaries: [...v.buckets.boundaries], counts: [...v.buckets.counts] },
      };
    })));
    this.inner.export(metrics, (result) => {
      if (result.code === 0) this.sent.push(...points);
      done(result);
    });
  }
  forceFlush() { return this.inner.forceFlush(); }
  shutdown() { return this.inner.shutdown(); }
  selectAggregationTemporality(type: InstrumentType): AggregationTemporality { return this.inner.selectAggregationTemporality(type); }
  selectAggregation(type: InstrumentType): AggregationOption { return this.inner.selectAggregation(type); }
}

function meterProvider(url: string, service: string, temporalityPreference: AggregationTemporality) {
  const exporter = new RecordingMetricExporter(new OTLPMetricExporter({ url: `${url}/v1/metrics`, temporalityPreference }));
  // A long interval: exports happen only when the test flushes, so each one is a known batch.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": service, "service.version": "1.4.2" }), readers: [reader] });
  return { provider, exporter };
}

type AggregateRow = { name: string; service: string; minute: number; kind: string; unit: string; attributes: Attributes; aggregate: Record<string, unknown> };

async function aggregates(sql: SqlRunner, service: string): Promise<AggregateRow[]> {
  return sql.query<AggregateRow>(
    `SELECT name, service, minute, kind, unit, attributes, aggregate FROM metric_minute_aggregates WHERE service = $1 ORDER BY name, minute, attributes_hash`,
    [service],
  );
}

const keyOf = (name: string, minute: number, attributes: Attributes) =>
  `${name}|${minute}|${JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

/** What each minute should hold for delta points: counters add, gauges keep count/sum/min/max/last, histograms add buckets. */
function expectedMinutes(points: readonly SentPoint[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const lastAt = new Map<string, bigint>();
  for (const p of [...points].sort((a, b) => (a.timeNs < b.timeNs ? -1 : 1))) {
    const key = keyOf(p.name, minuteOf(p.timeNs), p.attributes);
    const prev = out.get(key);
    if (p.type === DataPointType.SUM) {
      out.set(key, { kind: "sum", deltaTotal: ((prev?.deltaTotal as number) ?? 0) + (p.value as number) });
    } else if (p.type === DataPointType.GAUGE) {
      const v = p.value as number;
      const count = ((prev?.count as number) ?? 0) + 1;
      const sum = ((prev?.sum as number) ?? 0) + v;
      out.set(key, { kind: "gauge", count, sum, min: Math.min((prev?.min as number) ?? v, v), max: Math.max((prev?.max as number) ?? v, v), last: v });
      lastAt.set(key, p.timeNs);
    } else {
      const h = p.value as Exclude<SentPoint["value"], number>;
      const counts = (prev?.bucketCounts as number[] | undefined) ?? h.counts.map(() => 0);
      out.set(key, {
        kind: "histogram", explicitBounds: h.boundaries, count: ((prev?.count as number) ?? 0) + h.count, sum: ((prev?.sum as number) ?? 0) + h.sum,
        min: Math.min((prev?.min as number) ?? h.min, h.min), max: Math.max((prev?.max as number) ?? h.max, h.max), bucketCounts: counts.map((c, i) => c + (h.counts[i] ?? 0)),
      });
    }
  }
  return out;
}

describeEachDatabase("OTLP metrics and logs exporters → receiver → storage → read", ({ db }) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver(db().sql);
  });
  afterAll(() => receiver.server.close());

  it("stores delta counters, gauges and histograms from the proto metrics exporter, with exact per-minute aggregates", async () => {
    const { provider, exporter } = meterProvider(receiver.url, "render-api", AggregationTemporality.DELTA);
    const meter = provider.getMeter("interop", "0.1.0");
    const jobs = meter.createCounter("jobs.completed", { unit: "{job}" });
    const depth = meter.createGauge("queue.depth", { unit: "{message}" });
    let inflight = 7;
    meter.createObservableGauge("worker.inflight", { unit: "{job}" }).addCallback((r) => r.observe(inflight, { "worker.pool": "gpu" }));
    const latency = meter.createHistogram("render.duration", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100, 1000] } });

    jobs.add(3, { queue: "render", outcome: "ok" });
    jobs.add(2, { queue: "render", outcome: "ok" });
    jobs.add(1, { queue: "render", outcome: "failed" });
    depth.record(40, { queue: "render" });
    depth.record(12, { queue: "render" });
    for (const ms of [4, 9, 55, 230, 1800]) latency.record(ms, { route: "/render", "http.response.status_code": 200 });
    await provider.forceFlush();
    inflight = 3;
    jobs.add(10, { queue: "render", outcome: "ok" });
    depth.record(25, { queue: "render" });
    for (const ms of [60, 70]) latency.record(ms, { route: "/render", "http.response.status_code": 200 });
    latency.record(12.5, { route: "/thumb", "http.response.status_code": 500 });
    await provider.forceFlush();
    await provider.shutdown();

    const sent = exporter.sent;
    expect(new Set(sent.map((p) => p.name))).toEqual(new Set(["jobs.completed", "queue.depth", "worker.inflight", "render.duration"]));
    expect(sent.filter((p) => p.type === DataPointType.SUM || p.type === DataPointType.HISTOGRAM).every((p) => p.temporality === AggregationTemporality.DELTA)).toBe(true);

    // Every point, as stored: name, kind, temporality, unit, attributes, time and value.
    const rows = await db().sql.query<{ name: string; kind: string; temporality: string | null; unit: string; start_ns: string | null; time_ns: string; value: number | null; data: Record<string, unknown> | null; attributes: Attributes; resource: Attributes }>(
      `SELECT name, kind, temporality, unit, start_ns::text AS start_ns, time_ns::text AS time_ns, value, data, attributes, resource FROM metric_points WHERE service = 'render-api'`,
    );
    expect(rows).toHaveLength(sent.length);
    const kindOf = { [DataPointType.SUM]: "sum", [DataPointType.GAUGE]: "gauge", [DataPointType.HISTOGRAM]: "histogram" } as Record<number, string>;
    for (const p of sent) {
      const row = rows.find((r) => r.name === p.name && r.time_ns === String(p.timeNs) && keyOf("", 0, r.attributes) === keyOf("", 0, p.attributes));
      expect(row, `${p.name} ${JSON.stringify(p.attributes)} at ${p.timeNs}`).toBeDefined();
      expect(row).toMatchObject({ kind: kindOf[p.type], unit: p.unit, attributes: p.attributes, resource: { "service.name": "render-api", "service.version": "1.4.2" } });
      if (p.type === DataPointType.GAUGE) expect(row).toMatchObject({ value: p.value, temporality: null });
      if (p.type === DataPointType.SUM) expect(row).toMatchObject({ value: p.value, temporality: "delta", start_ns: String(p.startNs), data: { isMonotonic: true } });
      if (p.type === DataPointType.HISTOGRAM) {
        const h = p.value as Exclude<SentPoint["value"], number>;
        expect(row).toMatchObject({ temporality: "delta", start_ns: String(p.startNs), data: { count: h.count, sum: h.sum, min: h.min, max: h.max, explicitBounds: h.boundaries, bucketCounts: h.counts } });
      }
    }

    // Per-minute aggregates per attribute set match the fold of what was sent.
    const stored = await aggregates(db().sql, "render-api");
    const expected = expectedMinutes(sent);
    expect(stored).toHaveLength(expected.size);
    for (const row of stored) {
      const want = expected.get(keyOf(row.name, row.minute, row.attributes));
      expect(want, `${row.name} minute ${row.minute} ${JSON.stringify(row.attributes)}`).toBeDefined();
      expect(row.kind).toBe(want!.kind);
      expect(row.aggregate).toMatchObject(want!);
    }
    // Hand-checkable totals regardless of minute boundaries: 3+2+10 ok jobs, 1 failed, 8 renders on /render.
    const total = (name: string, match: Attributes, field: string) =>
      stored.filter((r) => r.name === name && Object.entries(match).every(([k, v]) => r.attributes[k] === v)).reduce((s, r) => s + (r.aggregate[field] as number), 0);
    expect(total("jobs.completed", { outcome: "ok" }, "deltaTotal")).toBe(15);
    expect(total("jobs.completed", { outcome: "failed" }, "deltaTotal")).toBe(1);
    expect(total("render.duration", { route: "/render" }, "count")).toBe(7);
    expect(total("render.duration", { route: "/render" }, "sum")).toBe(4 + 9 + 55 + 230 + 1800 + 60 + 70);
    expect(total("render.duration", { route: "/thumb" }, "count")).toBe(1);
    expect(total("queue.depth", {}, "count")).toBe(2); // a synchronous gauge exports its last value per collection: 12, then 25

    // The read side merges attribute sets per minute: the counter's minutes add up to every job counted.
    const minutes = sent.map((p) => minuteOf(p.timeNs));
    const range = { fromMinute: Math.min(...minutes), toMinute: Math.max(...minutes) + 1 };
    const series = await metricSeries(db().sql, { name: "jobs.completed", service: "render-api", ...range });
    expect(series.unit).toBe("{job}");
    const perMinute = new Map<number, number>();
    for (const p of sent.filter((x) => x.name === "jobs.completed")) perMinute.set(minuteOf(p.timeNs), (perMinute.get(minuteOf(p.timeNs)) ?? 0) + (p.value as number));
    expect(series.points.map((p) => ({ at: p.at, kind: p.kind, deltaTotal: p.deltaTotal }))).toEqual(
      [...perMinute.entries()].sort(([a], [b]) => a - b).map(([m, total]) => ({ at: new Date(m * 60_000).toISOString(), kind: "sum", deltaTotal: total })),
    );
    const histogram = await metricSeries(db().sql, { name: "render.duration", service: "render-api", ...range });
    expect(histogram.points.reduce((s, p) => s + (p.count ?? 0), 0)).toBe(8);
    expect(histogram.points.every((p) => p.kind === "histogram" && p.p50 !== null)).toBe(true);
  });

  it("turns the default cumulative export into per-minute deltas: the first export is the baseline", async () => {
    const { provider, exporter } = meterProvider(receiver.url, "cumulative-worker", AggregationTemporality.CUMULATIVE);
    const counter = provider.getMeter("interop").createCounter("tasks.processed");
    for (const n of [5, 7, 3]) {
      counter.add(n, { queue: "email" });
      await provider.forceFlush();
    }
    await provider.shutdown();
    // Shutdown exports once more (15 again): that point adds a zero delta.
    const sent = exporter.sent.filter((p) => p.name === "tasks.processed");
    expect(sent.map((p) => p.value).slice(0, 3)).toEqual([5, 12, 15]);
    expect(sent.every((p) => p.temporality === AggregationTemporality.CUMULATIVE)).toBe(true);

    const stored = await db().sql.query<{ value: number; temporality: string }>(`SELECT value, temporality FROM metric_points WHERE service = 'cumulative-worker' ORDER BY time_ns`);
    expect(stored).toEqual(sent.map((p) => ({ value: p.value, temporality: "cumulative" })));
    const expected = new Map<number, number>();
    for (let i = 1; i < sent.length; i++) {
      const m = minuteOf(sent[i]!.timeNs);
      expected.set(m, (expected.get(m) ?? 0) + (sent[i]!.value as number) - (sent[i - 1]!.value as number));
    }
    const rows = await aggregates(db().sql, "cumulative-worker");
    expect(rows.map((r) => ({ minute: r.minute, kind: r.kind, attributes: r.attributes, deltaTotal: r.aggregate.deltaTotal }))).toEqual(
      [...expected.entries()].sort(([a], [b]) => a - b).map(([minute, deltaTotal]) => ({ minute, kind: "sum", attributes: { queue: "email" }, deltaTotal })),
    );
  });

  it("stores log records from the proto logs exporter with bodies, severity, trace and span IDs and the job ID", async () => {
    const url = receiver.url;
    const resource = resourceFromAttributes({ "service.name": "render-worker", "service.version": "3.0.1" });
    const memory = new InMemoryLogRecordExporter();
    const logs = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) }), new SimpleLogRecordProcessor({ exporter: memory })] });
    const tracing = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${url}/v1/traces` }) })] });
    const logger = logs.getLogger("render-worker.logs", "1.0.0");
    const tracer = tracing.getTracer("render-worker");

    const root = tracer.startSpan("process render job", { attributes: { "job.id": "job-42" } });
    const rootCtx = trace.setSpan(context.active(), root);
    const child = tracer.startSpan("encode", {}, rootCtx);
    const childCtx = trace.setSpan(context.active(), child);
    logger.emit({ context: rootCtx, severityNumber: SeverityNumber.INFO, severityText: "INFO", body: "job picked up", attributes: { "job.id": "job-42", "messaging.system": "rabbitmq" } });
    logger.emit({ context: childCtx, severityNumber: SeverityNumber.ERROR2, body: { reason: "GPU out of memory", frames: [1, 2, 3], retry: true }, attributes: { "job.id": "job-42", "job.attempt": 2, ratio: 0.5 } });
    logger.emit({ severityNumber: SeverityNumber.WARN, severityText: "warning", body: "disk 91% full", attributes: { "disk.mount": "/var" } });
    child.end();
    root.end();
    await tracing.forceFlush();
    await logs.forceFlush();
    const sent = memory.getFinishedLogRecords();
    await Promise.all([logs.shutdown(), tracing.shutdown()]);
    expect(sent).toHaveLength(3);

    const rows = await db().sql.query<{ time_ns: string; observed_ns: string | null; service: string; scope_name: string; severity_number: number; severity_text: string; body: unknown; body_text: string; attributes: Attributes; resource: Attributes; trace_id: string | null; span_id: string | null; job_id: string | null; flags: number }>(
      `SELECT time_ns::text AS time_ns, observed_ns::text AS observed_ns, service, scope_name, severity_number, severity_text, body, body_text, attributes, resource, trace_id, span_id, job_id, flags
       FROM logs WHERE service = 'render-worker' ORDER BY time_ns, severity_number`,
    );
    const expected = (r: ReadableLogRecord, derived: { severityText: string; bodyText: string; jobId: string | null }) => ({
      time_ns: String(nsOf(r.hrTime)), observed_ns: String(nsOf(r.hrTimeObserved)), service: "render-worker", scope_name: "render-worker.logs",
      severity_number: r.severityNumber, severity_text: derived.severityText, body: r.body, body_text: derived.bodyText, attributes: r.attributes,
      resource: { "service.name": "render-worker", "service.version": "3.0.1" },
      trace_id: r.spanContext?.traceId ?? null, span_id: r.spanContext?.spanId ?? null, job_id: derived.jobId, flags: r.spanContext ? 1 : 0,
    });
    const [picked, failed, disk] = sent as [ReadableLogRecord, ReadableLogRecord, ReadableLogRecord];
    expect(picked.spanContext?.spanId).toBe(root.spanContext().spanId);
    expect(failed.spanContext?.spanId).toBe(child.spanContext().spanId);
    const byTime = (a: { time_ns: string; severity_number?: number }, b: { time_ns: string; severity_number?: number }) =>
      (BigInt(a.time_ns) === BigInt(b.time_ns) ? (a.severity_number ?? 0) - (b.severity_number ?? 0) : BigInt(a.time_ns) < BigInt(b.time_ns) ? -1 : 1);
    expect(rows).toEqual([
      expected(picked, { severityText: "INFO", bodyText: "job picked up", jobId: "job-42" }),
      // No severityText sent: derived from the number; a structured body is kept as JSON and searchable as text.
      expected(failed, { severityText: "ERROR", bodyText: JSON.stringify(failed.body), jobId: "job-42" }),
      expected(disk, { severityText: "warning", bodyText: "disk 91% full", jobId: null }),
    ].sort(byTime));

    // The trace view shows the job's spans with their logs on the timeline.
    const stored = await getTrace(db().sql, root.spanContext().traceId);
    expect(stored.spans.map((s) => s.spanId).sort()).toEqual([root.spanContext().spanId, child.spanContext().spanId].sort());
    // Both records may share a timestamp, so compare in severity order.
    expect(stored.logs.map((l) => ({ time: l.timeUnixNano, body: l.body, spanId: l.spanId, severityNumber: l.severityNumber, severityText: l.severityText })).sort((a, b) => a.severityNumber - b.severityNumber)).toEqual([
      { time: String(nsOf(picked.hrTime)), body: "job picked up", spanId: root.spanContext().spanId, severityNumber: SeverityNumber.INFO, severityText: "INFO" },
      { time: String(nsOf(failed.hrTime)), body: failed.body, spanId: child.spanContext().spanId, severityNumber: SeverityNumber.ERROR2, severityText: "ERROR" },
    ]);
    const byJob = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM logs WHERE job_id = 'job-42'`);
    expect(byJob).toEqual([{ n: 2 }]);
  });
});
