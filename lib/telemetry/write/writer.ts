// The telemetry write path: each batch's raw rows, rollups, job index and SLO contributions go in ONE
// transaction, and the promise resolves only after COMMIT. Bounded concurrency with a bounded wait queue.
import { deriveJobUpdates } from "../core/rollups/job-summary";
import type { LogRow } from "../core/otlp/normalise-logs";
import type { SpanRow } from "../core/otlp/normalise-traces";
import type { MetricPointRow } from "../core/otlp/metric-rows";
import { spansToFlowRollups } from "../core/rollups/flow-rollup";
import { spansToRollups } from "../core/rollups/span-rollup";
import { hasJobSlos, jobContributionChanges, sortContributions } from "../../slo/core/job-slo-changes";
import { metricRatioContributions } from "../../slo/core/metric-sli";
import { producersToLookUp, spanContributions, type SloContribution, type SloRef } from "../../slo/core/span-sli";
import { addSloContributions } from "./slo-rollups";
import { upsertFlowRollups } from "./flow";
import { CumulativeMetricState } from "./cumulative-metric-state";
import { dayOfNs, PartitionCache, type PartitionedTable } from "./partitions";
import { lockJobRows, upsertJobs, withQueues } from "./jobs";
import { insertLogs, logCells } from "./logs";
import { insertMetricPoints, mergeMetricAggregates, seriesHash } from "./metrics";
import { oldestKeptDay, retentionOf, DEFAULT_RETENTION_DAYS, type RetentionDays } from "./retention";
import { findProducerEnds, insertSpans, spanKey, upsertSpanRollups } from "./spans";
import type { SqlRunner } from "../../db/sql-runner";
import { WriteGate } from "../../db/write-gate";

export type TelemetryWriterOptions = {
  sql: SqlRunner;
  /** Write transactions at once (PGlite is one connection: 1 is right there). */
  concurrency: number;
  /** Batches that may wait for a slot; one more is refused with WriteQueueFullError. */
  maxWaitingBatches: number;
  retention?: RetentionDays;
  /** The SLOs whose minute rollups are written with the batch, read inside the batch's transaction (createSloCache). */
  slos?: (tx: SqlRunner) => Promise<readonly SloRef[]>;
  /** Called after COMMIT with the SLO contributions the batch stored (for tailguard_slo_events_total). */
  onSloContributions?: (contributions: readonly SloContribution[], slos: readonly SloRef[]) => void;
  nowMs?: () => number;
};

/** `stored` counts rows new to the database, `duplicates` rows it already had; `tooOld` rows past retention. */
export type WriteResult = { stored: number; duplicates: number; tooOld: number };

// 23514: no partition for a row (retention dropped it after we cached it); 40P01/40001: deadlock, serialization.
const RETRYABLE = new Set(["23514", "40P01", "40001"]);

export class TelemetryWriter {
  private readonly gate: WriteGate;
  // Cumulative-to-delta state is order-dependent: metric batches run one at a time.
  private readonly metricsGate: WriteGate;
  private readonly partitions: PartitionCache;
  private readonly retention: RetentionDays;
  readonly cumulative = new CumulativeMetricState();

  constructor(private readonly opts: TelemetryWriterOptions) {
    this.gate = new WriteGate(opts.concurrency, opts.maxWaitingBatches);
    this.metricsGate = new WriteGate(1, opts.maxWaitingBatches);
    this.partitions = new PartitionCache(opts.sql);
    this.retention = opts.retention ?? DEFAULT_RETENTION_DAYS;
  }

  get queueDepth(): { active: number; waiting: number } {
    const a = this.gate.depth;
    const b = this.metricsGate.depth;
    return { active: a.active + b.active, waiting: a.waiting + b.waiting };
  }

  /** A batch of this kind would be refused with WriteQueueFullError right now (spans and logs share a queue). */
  isBackedUp(kind: "spans" | "metrics" | "logs"): boolean {
    return (kind === "metrics" ? this.metricsGate : this.gate).isFull;
  }

  writeSpans(spans: readonly SpanRow[]): Promise<WriteResult> {
    return this.gate.run(async () => {
      const { kept, tooOld, days } = this.keepRecent("spans", dedupe(spans, spanKey), (s) => s.startTimeUnixNano);
      let slos: readonly SloRef[] = [];
      let committed: SloContribution[] = [];
      const stored = await this.inTransaction("spans", days, async (tx) => {
        slos = await this.slosIn(tx, kept.length);
        const newKeys = await insertSpans(tx, kept);
        const fresh = newKeys.size === kept.length ? kept : kept.filter((s) => newKeys.has(spanKey(s)));
        await upsertSpanRollups(tx, spansToRollups(fresh));
        await upsertFlowRollups(tx, spansToFlowRollups(fresh));
        const jobs = withQueues(deriveJobUpdates(fresh), fresh);
        const contributions = spanContributions(slos, fresh, await findProducerEnds(tx, producersToLookUp(slos, fresh)));
        if (hasJobSlos(slos)) {
          const before = await lockJobRows(tx, jobs.map((j) => j.jobId));
          contributions.push(...jobContributionChanges(slos, before, await upsertJobs(tx, jobs)));
        } else {
          await upsertJobs(tx, jobs);
        }
        committed = sortContributions(contributions);
        await addSloContributions(tx, committed);
        return fresh.length;
      });
      if (committed.length > 0) this.opts.onSloContributions?.(committed, slos);
      return { stored, duplicates: spans.length - tooOld - stored, tooOld };
    });
  }

  writeMetrics(points: readonly MetricPointRow[]): Promise<WriteResult> {
    return this.metricsGate.run(async () => {
      const hashed = dedupe(points.map((p) => ({ p, hash: seriesHash(p) })), (x) => `${x.hash}:${x.p.timeUnixNano}`);
      const { kept, tooOld, days } = this.keepRecent("metric_points", hashed, (x) => x.p.timeUnixNano);
      let slos: readonly SloRef[] = [];
      let committed: SloContribution[] = [];
      const stored = await this.inTransaction("metric_points", days, async (tx) => {
        slos = await this.slosIn(tx, kept.length);
        const fresh = (await insertMetricPoints(tx, kept.map((x) => x.p), kept.map((x) => x.hash))).map((i) => (kept[i] as { p: MetricPointRow }).p);
        const deltas = this.cumulative.toDeltas(fresh);
        await mergeMetricAggregates(tx, deltas.aggregates);
        committed = sortContributions(metricRatioContributions(slos, deltas.aggregates));
        await addSloContributions(tx, committed);
        return { count: fresh.length, commit: deltas.commit };
      });
      // The delta state moves on only once the points it saw are committed.
      stored.commit();
      if (committed.length > 0) this.opts.onSloContributions?.(committed, slos);
      return { stored: stored.count, duplicates: points.length - tooOld - stored.count, tooOld };
    });
  }

  writeLogs(logs: readonly LogRow[]): Promise<WriteResult> {
    return this.gate.run(async () => {
      const withCells = dedupe(logs.map((log) => ({ log, cells: logCells(log) })), (x) => `${x.cells.hash}:${x.log.timeUnixNano}`);
      const { kept, tooOld, days } = this.keepRecent("logs", withCells, (x) => x.log.timeUnixNano);
      await this.inTransaction("logs", days, (tx) => insertLogs(tx, kept.map((x) => x.log), kept.map((x) => x.cells)));
      // Logs do not report which rows were new; duplicates are not told apart from stored ones.
      return { stored: kept.length, duplicates: 0, tooOld };
    });
  }

  /**
   * The SLO set, read in the batch's own transaction: a rebuild that starts after an SLO is committed waits for the
   * batches already reading (sloSetBarrier), and every later batch sees the SLO, so no span falls between the two.
   */
  private async slosIn(tx: SqlRunner, rows: number): Promise<readonly SloRef[]> {
    return rows > 0 && this.opts.slos ? this.opts.slos(tx) : [];
  }

  /** Rows older than retention would land in a partition retention drops (or already dropped): refuse them. */
  private keepRecent<T>(table: PartitionedTable, rows: readonly T[], timeOf: (row: T) => bigint): { kept: T[]; tooOld: number; days: Set<number> } {
    const nowNs = BigInt(Math.round((this.opts.nowMs ?? Date.now)())) * 1_000_000n;
    const firstDay = oldestKeptDay(nowNs, retentionOf(table, this.retention));
    const kept: T[] = [];
    const days = new Set<number>();
    for (const row of rows) {
      const day = dayOfNs(timeOf(row));
      if (day < firstDay) continue;
      kept.push(row);
      days.add(day);
    }
    return { kept, tooOld: rows.length - kept.length, days };
  }

  private async inTransaction<T>(table: PartitionedTable, days: Set<number>, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.partitions.ensure(table, days);
        return await this.opts.sql.transaction(fn);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt >= 3 || code === undefined || !RETRYABLE.has(code)) throw err;
        if (code === "23514") this.partitions.forget();
      }
    }
  }
}

/** Keeps the first of rows with equal keys (a batch may repeat a span; one INSERT may not touch a row twice). */
function dedupe<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out;
}
