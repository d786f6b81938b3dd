// Recomputes an SLO's minute rollups from the raw telemetry still kept (after its definition
// changed), day by day with progress; the engine runs pending rebuilds in the background.
import type { Database } from "../../db/client";
import { addSloContributions } from "../../telemetry/write/slo-rollups";
import type { SqlRunner } from "../../db/sql-runner";
import { aggregateFromJson } from "../../telemetry/write/metrics";
import { oldestKeptDay } from "../../telemetry/write/retention";
import { storedSpanToRow, type StoredSpanRow } from "../../telemetry/write/stored-span";
import { parseSloDefinition, type SloDefinition } from "../core/definition";
import { metricRatioContributions } from "../core/metric-sli";
import { ContributionSums, jobContributions, spanContributions, type SloContribution, type SloRef } from "../core/span-sli";
import { sloSetBarrier } from "./rollups";

const NS_PER_MINUTE = 60_000_000_000n;
const PAGE = 5_000;
/** The last day read runs on to here, so spans stamped in the future are recomputed like every other row ingest counted. */
const OPEN_END_NS = 9_000_000_000_000_000_000n;

/** Contributions of stored spans with start in [fromNs, toNs), page by page (keyset on start_ns, span_id). */
async function spanDay(sql: SqlRunner, ref: SloRef, service: string, fromNs: bigint, toNs: bigint): Promise<SloContribution[]> {
  const out: SloContribution[] = [];
  let after = { ns: String(fromNs - 1n), id: "" };
  for (;;) {
    const rows = await sql.query<StoredSpanRow>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, status_code, start_ns::text, end_ns::text, duration_ns::text, http_route, http_status_code, messaging_destination, attributes, links
       FROM spans WHERE service = $1 AND start_ns >= $2::bigint AND start_ns < $3::bigint AND (start_ns, span_id) > ($4::bigint, $5)
       ORDER BY start_ns, span_id LIMIT ${PAGE}`,
      [service, String(fromNs), String(toNs), after.ns, after.id],
    );
    out.push(...spanContributions([ref], rows.map(storedSpanToRow)));
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

async function contributionsFor(sql: SqlRunner, ref: SloRef, fromNs: bigint, toNs: bigint): Promise<SloContribution[]> {
  const sli = ref.definition.sli;
  if (sli.kind === "jobCompletion") {
    const rows = await sql.query<{ job_id: string; first_seen_ns: string; status_time_ns: string; status: string; services: string[]; queues: string[] }>(
      `SELECT job_id, first_seen_ns::text, status_time_ns::text, status, services, queues FROM jobs WHERE status <> 'running' AND status_time_ns >= $1::bigint AND status_time_ns < $2::bigint`,
      [String(fromNs), String(toNs)],
    );
    return jobContributions([ref], rows.map((r) => ({ jobId: r.job_id, firstSeenUnixNano: BigInt(r.first_seen_ns), finishedUnixNano: BigInt(r.status_time_ns), succeeded: r.status === "succeeded", services: r.services, queues: r.queues })));
  }
  if (sli.kind === "metricRatio") {
    const rows = await sql.query<{ aggregate: unknown }>(
      `SELECT aggregate FROM metric_minute_aggregates WHERE name = ANY($1::text[]) AND minute >= $2 AND minute < $3`,
      [[sli.good.metric, sli.total.metric], Number(fromNs / NS_PER_MINUTE), Number(toNs / NS_PER_MINUTE)],
    );
    return metricRatioContributions([ref], rows.map((r) => aggregateFromJson(r.aggregate)));
  }
  if (sli.kind === "queueWait") {
    // Queue wait needs producers and consumers together: read both kinds on the queue for the day.
    const rows = await sql.query<StoredSpanRow>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, status_code, start_ns::text, end_ns::text, duration_ns::text, http_route, http_status_code, messaging_destination, attributes, links
       FROM spans WHERE messaging_destination = $1 AND kind IN ('PRODUCER', 'CONSUMER') AND start_ns >= $2::bigint AND start_ns < $3::bigint`,
      [sli.destination, String(fromNs - 3_600n * 1_000_000_000n), String(toNs)],
    );
    return spanContributions([ref], rows.map(storedSpanToRow)).filter((c) => BigInt(c.minute) * NS_PER_MINUTE >= fromNs);
  }
  const service = serviceOf(ref.definition);
  return service ? spanDay(sql, ref, service, fromNs, toNs) : [];
}

export type RebuildProgress = (done: number, total: number, message: string) => Promise<void>;

export type RebuildRetention = { spans: number; metrics: number; rollups: number };

/**
 * Recomputes the rollups of one SLO for every minute from `rebuildFromMinute` on: all the raw data still kept, so
 * the whole SLO window wherever telemetry still holds it. Minutes before keep what they had.
 *
 * Exact while spans stream in: after sloSetBarrier every ingest transaction matches this SLO, and the raw rows and
 * the rollups are read in one snapshot; the rollups then move by (recomputed − read), an addition like ingest's
 * own, so what ingest adds after the snapshot stays on top and what it added before is replaced, never doubled.
 */
export async function rebuildSloRollups(db: Database, sloId: string, opts: { now: Date; retention: RebuildRetention; onProgress?: RebuildProgress }): Promise<{ minutes: number; events: number }> {
  const row = await db.prisma.slo.findUniqueOrThrow({ where: { id: sloId } });
  const parsed = parseSloDefinition(row.definition);
  if (!parsed.ok) throw new Error(`SLO ${row.name} does not validate: ${parsed.reason}`);
  const ref = { id: sloId, definition: parsed.definition };
  const fromMinute = rebuildFromMinute(parsed.definition, opts.retention, opts.now);
  const dayNs = 1440n * NS_PER_MINUTE;
  const firstDay = Math.floor(fromMinute / 1440);
  const days = Math.max(1, Math.floor(opts.now.getTime() / 86_400_000) - firstDay + 1);
  await sloSetBarrier(db.sql);
  // Progress is written beside the snapshot, not in it (on PGlite, after it: one session runs one transaction).
  let progress = Promise.resolve();
  const { stored, rebuilt } = await db.sql.transaction(async (tx) => {
    await tx.exec(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    const stored = await tx.query<{ minute: number; good: number; total: number }>(
      `SELECT minute, good, total FROM slo_minute_rollups WHERE slo_id = $1 AND minute >= $2`,
      [sloId, fromMinute],
    );
    const rebuilt: SloContribution[] = [];
    for (let i = 0; i < days; i++) {
      const dayFromNs = BigInt(firstDay + i) * dayNs;
      const fromNs = i === 0 ? BigInt(fromMinute) * NS_PER_MINUTE : dayFromNs;
      rebuilt.push(...(await contributionsFor(tx, ref, fromNs, i === days - 1 ? OPEN_END_NS : dayFromNs + dayNs)));
      progress = progress.then(() => opts.onProgress?.(i + 1, days, `day ${i + 1} of ${days}`));
    }
    return { stored, rebuilt: rebuilt.filter((c) => c.minute >= fromMinute) };
  }).finally(() => progress);
  const deltas = new ContributionSums();
  for (const c of rebuilt) deltas.add(sloId, c.minute, c.good, c.total);
  for (const r of stored) deltas.add(sloId, Number(r.minute), -Number(r.good), -Number(r.total));
  const changes = deltas.values().filter((d) => d.good !== 0 || d.total !== 0).sort((a, b) => a.minute - b.minute);
  await db.sql.transaction(async (tx) => {
    await addSloContributions(tx, changes);
    // A minute left without events is removed, not kept at 0/0: to readers a row is a minute with data.
    await tx.query(`DELETE FROM slo_minute_rollups WHERE slo_id = $1 AND minute >= $2 AND abs(total) < 1e-9 AND abs(good) < 1e-9`, [sloId, fromMinute]);
  });
  return { minutes: new Set(rebuilt.map((c) => c.minute)).size, events: rebuilt.reduce((s, c) => s + c.total, 0) };
}

/** Marks an SLO for rebuilding (the engine picks it up), inside the caller's transaction. */
export async function requestRebuild(tx: Pick<Database["prisma"], "sloRebuild">, sloId: string): Promise<void> {
  await tx.sloRebuild.upsert({ where: { sloId }, create: { sloId }, update: { status: "pending", requestedAt: new Date(), progressRatio: 0, message: "", startedAt: null, finishedAt: null } });
}

/**
 * The first minute whose raw data is still whole, so a rebuild may replace it and every later minute: spans from
 * the oldest day partition retention keeps (the day of now − retention, so the SLO window's far edge is in it),
 * jobs and metric aggregates from now − rollup retention (deleted row by row before that).
 */
export function rebuildFromMinute(d: SloDefinition, retention: RebuildRetention, now: Date): number {
  const rowsKeptFrom = Math.ceil((now.getTime() - retention.rollups * 86_400_000) / 60_000);
  const daysKeptFrom = (days: number) => oldestKeptDay(BigInt(now.getTime()) * 1_000_000n, days) * 1440;
  if (d.sli.kind === "jobCompletion") return rowsKeptFrom;
  if (d.sli.kind === "metricRatio") return Math.max(daysKeptFrom(retention.metrics), rowsKeptFrom);
  return daysKeptFrom(retention.spans);
}

/** Engine job: runs the oldest pending rebuild, recording progress as it goes. */
export async function runPendingRebuild(db: Database, opts: { now: Date; retention: RebuildRetention }): Promise<string | null> {
  const next = await db.prisma.sloRebuild.findFirst({ where: { status: "pending" }, orderBy: { requestedAt: "asc" } });
  if (!next) return null;
  await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "running", startedAt: opts.now, progressRatio: 0 } });
  try {
    const result = await rebuildSloRollups(db, next.sloId, {
      now: opts.now,
      retention: opts.retention,
      onProgress: (done, total, message) => db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { progressRatio: done / total, message } }).then(() => undefined),
    });
    await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "done", finishedAt: new Date(), progressRatio: 1, message: `${result.events} events over ${result.minutes} minute(s)` } });
  } catch (err) {
    await db.prisma.sloRebuild.update({ where: { sloId: next.sloId }, data: { status: "failed", finishedAt: new Date(), message: (err as Error).message } });
  }
  return next.sloId;
}
