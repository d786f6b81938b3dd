// Recomputes an SLO's minute rollups from the raw telemetry still kept (after its definition
// changed), day by day with progress; the engine runs pending rebuilds in the background.
import type { Database } from "../db/client";
import { aggregateFromJson } from "../db/telemetry-metrics";
import type { SpanRow } from "../otlp/normalise-traces";
import { parseSloDefinition, type SloDefinition } from "../slo/definition";
import { metricRatioContributions } from "../slo/metric-sli";
import { jobContributions, spanContributions, type SloContribution, type SloRef } from "../slo/span-sli";
import { addSloContributions } from "./rollups";

const NS_PER_MINUTE = 60_000_000_000n;
const PAGE = 5_000;

type SpanDbRow = { trace_id: string; span_id: string; parent_span_id: string | null; service: string; name: string; kind: string; status_code: string; start_ns: string; end_ns: string; duration_ns: string; http_route: string | null; http_status_code: number | null; messaging_destination: string | null; attributes: Record<string, unknown>; links: { traceId: string; spanId: string }[] };

// Only the fields the SLI matchers read are filled in.
function toSpan(r: SpanDbRow): SpanRow {
  return {
    traceId: r.trace_id, spanId: r.span_id, parentSpanId: r.parent_span_id, serviceName: r.service, name: r.name, kind: r.kind as SpanRow["kind"], statusCode: r.status_code as SpanRow["statusCode"],
    startTimeUnixNano: BigInt(r.start_ns), endTimeUnixNano: BigInt(r.end_ns), durationNs: BigInt(r.duration_ns), httpRoute: r.http_route, httpStatusCode: r.http_status_code, messagingDestinationName: r.messaging_destination,
    attributes: r.attributes as SpanRow["attributes"], links: (r.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: "", attributes: {}, droppedAttributesCount: 0 })),
  } as SpanRow;
}

/** Contributions of stored spans with start in [fromNs, toNs), page by page (keyset on start_ns, span_id). */
async function spanDay(db: Database, ref: SloRef, service: string, fromNs: bigint, toNs: bigint): Promise<SloContribution[]> {
  const out: SloContribution[] = [];
  let after = { ns: String(fromNs - 1n), id: "" };
  for (;;) {
    const rows = await db.sql.query<SpanDbRow>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, status_code, start_ns::text, end_ns::text, duration_ns::text, http_route, http_status_code, messaging_destination, attributes, links
       FROM spans WHERE service = $1 AND start_ns >= $2::bigint AND start_ns < $3::bigint AND (start_ns, span_id) > ($4::bigint, $5)
       ORDER BY start_ns, span_id LIMIT ${PAGE}`,
      [service, String(fromNs), String(toNs), after.ns, after.id],
    );
    out.push(...spanContributions([ref], rows.map(toSpan)));
    if (rows.length < PAGE) return out;
    const last = rows[rows.length - 1]!;
    after = { ns: last.start_ns, id: last.span_id };
  }
}

function serviceOf(d: SloDefinition): string | null {
  const sli = d.sli;
  if (sli.kind === "availability" || sli.kind === "latency") return sli.selector.service;
  if (sli.kind === "queueWait") return null;
  return d.service;
}

async function contributionsFor(db: Database, ref: SloRef, fromNs: bigint, toNs: bigint): Promise<SloContribution[]> {
  const sli = ref.definition.sli;
  if (sli.kind === "jobCompletion") {
    const rows = await db.sql.query<{ job_id: string; first_seen_ns: string; status_time_ns: string; status: string; services: string[]; queues: string[] }>(
      `SELECT job_id, first_seen_ns::text, status_time_ns::text, status, services, queues FROM jobs WHERE status <> 'running' AND status_time_ns >= $1::bigint AND status_time_ns < $2::bigint`,
      [String(fromNs), String(toNs)],
    );
    return jobContributions([ref], rows.map((r) => ({ jobId: r.job_id, firstSeenUnixNano: BigInt(r.first_seen_ns), finishedUnixNano: BigInt(r.status_time_ns), succeeded: r.status === "succeeded", services: r.services, queues: r.queues })));
  }
  if (sli.kind === "metricRatio") {
    const rows = await db.sql.query<{ aggregate: unknown }>(
      `SELECT aggregate FROM metric_minute_aggregates WHERE name = ANY($1::text[]) AND minute >= $2 AND minute < $3`,
      [[sli.good.metric, sli.total.metric], Number(fromNs / NS_PER_MINUTE), Number(toNs / NS_PER_MINUTE)],
    );
    return metricRatioContributions([ref], rows.map((r) => aggregateFromJson(r.aggregate)));
  }
  if (sli.kind === "queueWait") {
    // Queue wait needs producers and consumers together: read both kinds on the queue for the day.
    const rows = await db.sql.query<SpanDbRow>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, status_code, start_ns::text, end_ns::text, duration_ns::text, http_route, http_status_code, messaging_destination, attributes, links
       FROM spans WHERE messaging_destination = $1 AND kind IN ('PRODUCER', 'CONSUMER') AND start_ns >= $2::bigint AND start_ns < $3::bigint`,
      [sli.destination, String(fromNs - 3_600n * 1_000_000_000n), String(toNs)],
    );
    return spanContributions([ref], rows.map(toSpan)).filter((c) => BigInt(c.minute) * NS_PER_MINUTE >= fromNs);
  }
  const service = serviceOf(ref.definition);
  return service ? spanDay(db, ref, service, fromNs, toNs) : [];
}

export type RebuildProgress = (done: number, total: number, message: string) => Promise<void>;

/**
 * Recomputes the rollups of one SLO for the last `days` days, then swaps them in one transaction for
 * the minutes of that range before the cut-off; minutes from the cut-off on keep what ingest wrote.
 */
export async function rebuildSloRollups(db: Database, sloId: string, opts: { now: Date; days: number; onProgress?: RebuildProgress }): Promise<{ minutes: number; events: number }> {
  const row = await db.prisma.slo.findUniqueOrThrow({ where: { id: sloId } });
  const parsed = parseSloDefinition(row.definition);
  if (!parsed.ok) throw new Error(`SLO ${row.name} does not validate: ${parsed.reason}`);
  const ref = { id: sloId, definition: parsed.definition };
  const cutMinute = Math.floor(opts.now.getTime() / 60_000);
  const dayNs = 1440n * NS_PER_MINUTE;
  const firstDay = BigInt(Math.floor(opts.now.getTime() / 86_400_000) - opts.days + 1);
  const all: SloContribution[] = [];
  for (let i = 0; i < opts.days; i++) {
    const fromNs = (firstDay + BigInt(i)) * dayNs;
    all.push(...(await contributionsFor(db, ref, fromNs, fromNs + dayNs)));
    await opts.onProgress?.(i + 1, opts.days, `day ${i + 1} of ${opts.days}`);
  }
  const firstMinute = Number(firstDay) * 1440;
  const kept = all.filter((c) => c.minute >= firstMinute && c.minute < cutMinute);
  await db.sql.transaction(async (tx) => {
    // Only the rebuilt range is replaced: older minutes have no raw data left to recompute them from.
    await tx.query(`DELETE FROM slo_minute_rollups WHERE slo_id = $1 AND minute >= $2 AND minute < $3`, [sloId, firstMinute, cutMinute]);
    await addSloContributions(tx, kept);
  });
  return { minutes: new Set(kept.map((c) => c.minute)).size, events: kept.reduce((s, c) => s + c.total, 0) };
}

/** Marks an SLO for rebuilding (the engine picks it up), inside the caller's transaction. */
export async function requestRebuild(tx: Pick<Database["prisma"], "sloRebuild">, sloId: string): Promise<void> {
  await tx.sloRebuild.upsert({ where: { sloId }, create: { sloId }, update: { status: "pending", requestedAt: new Date(), progressRatio: 0, message: "", startedAt: null, finishedAt: null } });
}

/** How many days of raw data each SLI kind can be rebuilt from, given the retention settings. */
export function rebuildDays(d: SloDefinition, retention: { spans: number; metrics: number; rollups: number }): number {
  if (d.sli.kind === "jobCompletion") return retention.rollups;
  if (d.sli.kind === "metricRatio") return retention.metrics;
  return retention.spans;
}

/** Engine job: runs the oldest pending rebuild, recording progress as it goes. */
export async function runPendingRebuild(db: Database, opts: { now: Date; retention: { spans: number; metrics: number; rollups: number } }): Promise<string | null> {
  const next = await db.prisma.sloRebuild.findFirst({ where: { status: "pending" }, orderBy: { requestedAt: "asc" } });
  if (!next) return null;
  await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "running", startedAt: opts.now, progressRatio: 0 } });
  try {
    const slo = await db.prisma.slo.findUniqueOrThrow({ where: { id: next.sloId } });
    const parsed = parseSloDefinition(slo.definition);
    const days = parsed.ok ? rebuildDays(parsed.definition, opts.retention) : 1;
    const result = await rebuildSloRollups(db, next.sloId, {
      now: opts.now,
      days,
      onProgress: (done, total, message) => db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { progressRatio: done / total, message } }).then(() => undefined),
    });
    await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "done", finishedAt: new Date(), progressRatio: 1, message: `${result.events} events over ${result.minutes} minute(s)` } });
  } catch (err) {
    await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "failed", finishedAt: new Date(), message: (err as Error).message } });
  }
  return next.sloId;
}
