// Both versions' figures for a canary verdict: per SLO in scope, the events, bad events and duration buckets of the
// candidate and of the baseline over one interval, read from raw spans and jobs with the SLI predicates the rollups use.
import type { SqlRunner } from "../../db/sql-runner";
import type { SliKind, SloDefinition } from "../../slo/core/definition";
import { jobContributions, matchesSelector, spanContributions, spanIsGood, type FinishedJob, type SloRef } from "../../slo/core/span-sli";
import { DURATION_BOUNDS_NS, durationBucketIndex, emptyDurationBuckets } from "../../telemetry/core/metrics/duration-buckets";
import type { SpanRow } from "../../telemetry/core/otlp/normalise-traces";
import { findProducerEnds } from "../../telemetry/write/spans";
import { STORED_SPAN_COLUMNS, storedSpanToRow, type StoredSpanRow } from "../../telemetry/write/stored-span";
import type { CanarySideInput, CanarySloInput } from "../core/canary";

/** Spans (or jobs) read per side and pass at most: memory and time stay bounded however busy the service is. */
export const CANARY_SPAN_CAP = 200_000;
const PAGE = 5_000;
const NS_PER_HOUR = 3_600_000_000_000n;
const BOUNDS_MS: readonly number[] = DURATION_BOUNDS_NS.map((ns) => ns / 1e6);

export interface CanaryFiguresOptions {
  service: string;
  candidateVersion: string;
  baselineVersion: string;
  /** The interval both sides are read over: spans by start, jobs by the time they finished, [fromNs, toNs). */
  fromNs: bigint;
  toNs: bigint;
  maxSpansPerSide?: number;
}

export interface CanarySloFigures extends CanarySloInput {
  /** A side whose reading stopped at the cap: its figures cover the start of the interval only. */
  capped: { candidate: boolean; baseline: boolean };
}

export interface CanaryFigures {
  slos: CanarySloFigures[];
  /** SLOs no version can be told apart on (metric-based: metric points carry no service.version). */
  skipped: { slo: string; sli: SliKind }[];
}

/** The start of the first span of this service.version, or null when none is stored. */
export async function firstSpanOfVersion(sql: SqlRunner, service: string, version: string): Promise<bigint | null> {
  const [row] = await sql.query<{ first: string | null }>(`SELECT min(start_ns)::text AS first FROM spans WHERE service = $1 AND service_version = $2`, [service, version]);
  return row?.first ? BigInt(row.first) : null;
}

/** The version with the most spans of this service in the hour before `beforeNs`, other than `excluding`. */
export async function majorityVersionBefore(sql: SqlRunner, opts: { service: string; beforeNs: bigint; excluding: string }): Promise<string | null> {
  const [row] = await sql.query<{ version: string }>(
    `SELECT service_version AS version FROM spans
     WHERE service = $1 AND service_version IS NOT NULL AND service_version <> $2 AND start_ns >= $3::bigint AND start_ns < $4::bigint
     GROUP BY service_version ORDER BY count(*) DESC, service_version LIMIT 1`,
    [opts.service, opts.excluding, String(opts.beforeNs - NS_PER_HOUR), String(opts.beforeNs)],
  );
  return row?.version ?? null;
}

/** Events and bad events of one side, with duration buckets for the SLIs judged on durations. */
class SideTally {
  events = 0;
  badEvents = 0;
  capped = false;
  private readonly buckets: number[] | null;

  constructor(withDurations: boolean) {
    this.buckets = withDurations ? emptyDurationBuckets() : null;
  }

  add(good: boolean, durationNs?: bigint): void {
    this.events += 1;
    if (!good) this.badEvents += 1;
    if (this.buckets && durationNs !== undefined) {
      const i = durationBucketIndex(Number(durationNs));
      this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    }
  }

  toInput(): CanarySideInput {
    return { events: this.events, badEvents: this.badEvents, ...(this.buckets ? { durations: { boundsMs: BOUNDS_MS, counts: this.buckets } } : {}) };
  }
}

/**
 * Pages of one version's spans (keyset on start_ns, span_id) matching `where` over the interval, until the cap;
 * returns whether the cap cut the reading short.
 */
async function eachSpanPage(
  sql: SqlRunner,
  q: { where: string; params: unknown[]; fromNs: bigint; toNs: bigint; cap: number },
  onPage: (spans: SpanRow[]) => Promise<void> | void,
): Promise<boolean> {
  let read = 0;
  let after = { ns: String(q.fromNs - 1n), id: "" };
  const n = q.params.length;
  for (;;) {
    const limit = Math.min(PAGE, q.cap - read);
    if (limit <= 0) return true;
    const rows = await sql.query<StoredSpanRow>(
      `SELECT ${STORED_SPAN_COLUMNS} FROM spans
       WHERE ${q.where} AND start_ns >= $${n + 1}::bigint AND start_ns < $${n + 2}::bigint AND (start_ns, span_id) > ($${n + 3}::bigint, $${n + 4})
       ORDER BY start_ns, span_id LIMIT ${limit}`,
      [...q.params, String(q.fromNs), String(q.toNs), after.ns, after.id],
    );
    read += rows.length;
    await onPage(rows.map(storedSpanToRow));
    if (rows.length < limit) return false;
    const last = rows[rows.length - 1]!;
    after = { ns: last.start_ns, id: last.span_id };
  }
}

type Side = "candidate" | "baseline";
const SIDES: readonly Side[] = ["candidate", "baseline"];
type Pass = { fromNs: bigint; toNs: bigint; cap: number; version: string };

/** Availability and latency SLOs on one span service: one pass per side serves all of them. */
async function selectorFigures(sql: SqlRunner, refs: readonly SloRef[], spanService: string, pass: Pass, tallies: Map<string, SideTally>): Promise<boolean> {
  return eachSpanPage(sql, { where: "service = $1 AND service_version = $2", params: [spanService, pass.version], ...pass }, (spans) => {
    for (const span of spans) {
      for (const { id, definition } of refs) {
        const sli = definition.sli;
        if ((sli.kind !== "availability" && sli.kind !== "latency") || !matchesSelector(sli.selector, span)) continue;
        tallies.get(id)!.add(spanIsGood(sli, span) === true, sli.kind === "latency" ? span.durationNs : undefined);
      }
    }
  });
}

/** Queue wait of the service's consumers on the SLO's queue, producer end to consumer start, as ingest pairs them. */
async function queueWaitFigures(sql: SqlRunner, ref: SloRef, service: string, pass: Pass, tally: SideTally): Promise<boolean> {
  const sli = ref.definition.sli;
  if (sli.kind !== "queueWait") return false;
  return eachSpanPage(
    sql,
    { where: "kind = 'CONSUMER' AND messaging_destination = $1 AND service = $2 AND service_version = $3", params: [sli.destination, service, pass.version], ...pass },
    async (consumers) => {
      const ids = consumers.flatMap((s) => [...(s.parentSpanId ? [{ traceId: s.traceId, spanId: s.parentSpanId }] : []), ...s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId }))]);
      const ends = new Map((await findProducerEnds(sql, ids)).map((p) => [p.spanId, p.endTimeUnixNano]));
      for (const span of consumers) {
        // The producer ingest pairs the consumer with: its parent, else its first linked producer.
        const producerId = [span.parentSpanId, ...span.links.map((l) => l.spanId)].find((id) => id !== null && ends.has(id));
        if (!producerId) continue;
        const endTimeUnixNano = ends.get(producerId)!;
        const [counted] = spanContributions([ref], [span], [{ spanId: producerId, endTimeUnixNano }]);
        if (counted) tally.add(counted.good > 0, span.startTimeUnixNano - endTimeUnixNano);
      }
    },
  );
}

type JobDbRow = { job_id: string; first_seen_ns: string; status_time_ns: string; status: string; services: string[]; queues: string[] };

/** Finished jobs in the interval that this version of the service worked on (a job one span of it touched). */
async function jobFigures(sql: SqlRunner, ref: SloRef, service: string, pass: Pass, tally: SideTally): Promise<boolean> {
  let read = 0;
  let after = "";
  for (;;) {
    const limit = Math.min(PAGE, pass.cap - read);
    if (limit <= 0) return true;
    const rows = await sql.query<JobDbRow>(
      `SELECT j.job_id, j.first_seen_ns::text AS first_seen_ns, j.status_time_ns::text AS status_time_ns, j.status, j.services, j.queues FROM jobs j
       WHERE j.status <> 'running' AND j.status_time_ns >= $1::bigint AND j.status_time_ns < $2::bigint AND j.job_id > $5
         AND EXISTS (SELECT 1 FROM spans s WHERE s.job_id = j.job_id AND s.service = $3 AND s.service_version = $4)
       ORDER BY j.job_id LIMIT ${limit}`,
      [String(pass.fromNs), String(pass.toNs), service, pass.version, after],
    );
    read += rows.length;
    const jobs: FinishedJob[] = rows.map((r) => ({ jobId: r.job_id, firstSeenUnixNano: BigInt(r.first_seen_ns), finishedUnixNano: BigInt(r.status_time_ns), succeeded: r.status === "succeeded", services: r.services, queues: r.queues }));
    for (const job of jobs) for (const c of jobContributions([ref], [job])) tally.add(c.good > 0);
    if (rows.length < limit) return false;
    after = rows[rows.length - 1]!.job_id;
  }
}

const DURATION_SLIS: ReadonlySet<SliKind> = new Set<SliKind>(["latency", "queueWait"]);

/**
 * Both versions' figures for every SLO given (the caller picks those in the gate's scope). Each SLI is judged per
 * span or job by the same pure predicates ingest uses for the SLO rollups, so the counts are what the SLO counts.
 */
export async function canaryFigures(sql: SqlRunner, slos: readonly { id: string; name: string; definition: SloDefinition }[], opts: CanaryFiguresOptions): Promise<CanaryFigures> {
  const pass = (side: Side): Pass => ({ fromNs: opts.fromNs, toNs: opts.toNs, cap: opts.maxSpansPerSide ?? CANARY_SPAN_CAP, version: side === "candidate" ? opts.candidateVersion : opts.baselineVersion });
  const compared = slos.filter((s) => s.definition.sli.kind !== "metricRatio");
  const tallies = Object.fromEntries(SIDES.map((side) => [side, new Map(compared.map((s) => [s.id, new SideTally(DURATION_SLIS.has(s.definition.sli.kind))]))])) as Record<Side, Map<string, SideTally>>;
  const bySpanService = new Map<string, SloRef[]>();
  for (const s of compared) {
    const sli = s.definition.sli;
    if (sli.kind === "availability" || sli.kind === "latency") bySpanService.set(sli.selector.service, [...(bySpanService.get(sli.selector.service) ?? []), s]);
  }
  for (const side of SIDES) {
    const mark = (ids: readonly string[], capped: boolean) => { for (const id of ids) if (capped) tallies[side].get(id)!.capped = true; };
    for (const [spanService, refs] of bySpanService) mark(refs.map((r) => r.id), await selectorFigures(sql, refs, spanService, pass(side), tallies[side]));
    for (const s of compared) {
      const tally = tallies[side].get(s.id)!;
      if (s.definition.sli.kind === "queueWait") mark([s.id], await queueWaitFigures(sql, s, opts.service, pass(side), tally));
      if (s.definition.sli.kind === "jobCompletion") mark([s.id], await jobFigures(sql, s, opts.service, pass(side), tally));
    }
  }
  return {
    slos: compared.map((s) => {
      const candidate = tallies.candidate.get(s.id)!;
      const baseline = tallies.baseline.get(s.id)!;
      return { slo: s.name, sli: s.definition.sli.kind, candidate: candidate.toInput(), baseline: baseline.toInput(), capped: { candidate: candidate.capped, baseline: baseline.capped } };
    }),
    skipped: slos.filter((s) => s.definition.sli.kind === "metricRatio").map((s) => ({ slo: s.name, sli: s.definition.sli.kind })),
  };
}
