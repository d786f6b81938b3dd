// Reads what one detection pass needs from storage: flow rollups, the metric minutes the detectors
// know by name, attempts of recently retried jobs and a few running jobs per queue.
import type { SqlRunner } from "../../db/sql-runner";
import { aggregateFromJson } from "../../telemetry/write/metrics";
import { readFlowRollups } from "../../telemetry/write/flow";
import type { AttemptSample } from "../core/retry-intervals";
import { type ConsumerLatencyMinute, DEFAULT_METRIC_NAMES, type MetricMinute, type SystemSnapshot } from "../core/system-snapshot";
import type { ThresholdConfig } from "../core/thresholds";
import { evaluationEnd, HISTORY_MINUTES } from "../core/window-index";
import { parseSloDefinition } from "../../slo/core/definition";
import { durationQuantileMs } from "../../telemetry/core/metrics/duration-buckets";

const RETRIED_JOB_SAMPLE = 30;

function metricValue(aggregate: unknown): { value: number; last: number | null } | null {
  const a = aggregateFromJson(aggregate);
  if (a.kind === "gauge") return { value: a.avg, last: a.last };
  if (a.kind === "sum") return { value: a.deltaTotal, last: null };
  if (a.kind === "histogram" || a.kind === "exponential_histogram") return a.count > 0 && a.sum !== null ? { value: a.sum / a.count, last: null } : null;
  return null;
}

/** The tightest job-completion or queue-wait SLO threshold per queue: saturation's time to breach is measured against it. */
export function sloThresholdsByQueue(definitions: unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const raw of definitions) {
    const parsed = parseSloDefinition(raw);
    if (!parsed.ok) continue;
    const sli = parsed.definition.sli;
    const queue = sli.kind === "jobCompletion" ? sli.queue : sli.kind === "queueWait" ? sli.destination : undefined;
    if (queue === undefined || !("thresholdMs" in sli)) continue;
    out[queue] = Math.min(out[queue] ?? Number.POSITIVE_INFINITY, sli.thresholdMs);
  }
  return out;
}

/** p99 of each service's CONSUMER spans per calendar minute, from the span rollups' histograms (all span names merged). */
async function readConsumerP99(sql: SqlRunner, from: number, end: number): Promise<ConsumerLatencyMinute[]> {
  const rows = await sql.query<{ service: string; minute: number; buckets: number[] }>(
    `SELECT service, minute, buckets FROM span_minute_rollups WHERE kind = 'CONSUMER' AND minute >= $1 AND minute <= $2`,
    [Math.floor(from / 60), Math.floor(end / 60)],
  );
  const merged = new Map<string, { service: string; minute: number; buckets: number[] }>();
  for (const r of rows) {
    const key = `${r.service}\u0000${r.minute}`;
    const m = merged.get(key);
    if (m) r.buckets.forEach((n, i) => (m.buckets[i] = (m.buckets[i] ?? 0) + Number(n)));
    else merged.set(key, { service: r.service, minute: Number(r.minute), buckets: r.buckets.map(Number) });
  }
  return [...merged.values()].flatMap((m) => {
    const p99Ms = durationQuantileMs(m.buckets, 0.99);
    return p99Ms === null ? [] : [{ service: m.service, minuteUnix: m.minute * 60, p99Ms }];
  });
}

export async function readSystemSnapshot(sql: SqlRunner, opts: { now: Date; lagSeconds: number; thresholds: ThresholdConfig; sloDefinitions?: unknown[] }): Promise<SystemSnapshot> {
  const end = evaluationEnd(opts.now, opts.lagSeconds);
  const from = end - HISTORY_MINUTES * 60 - 60;
  const flows = await readFlowRollups(sql, { fromBucket: from, toBucket: end });
  const names = Object.values(DEFAULT_METRIC_NAMES).flat();
  const metricRows = await sql.query<{ minute: number; name: string; service: string; attributes: Record<string, unknown>; aggregate: unknown }>(
    `SELECT minute, name, service, attributes, aggregate FROM metric_minute_aggregates WHERE minute >= $1 AND minute <= $2 AND name = ANY($3::text[])`,
    [Math.floor(from / 60), Math.floor(end / 60), names],
  );
  const metrics: MetricMinute[] = metricRows.flatMap((r) => {
    const v = metricValue(r.aggregate);
    if (v === null) return [];
    const attributes = Object.fromEntries(Object.entries(r.attributes ?? {}).map(([k, x]) => [k, String(x)]));
    return [{ name: r.name, service: r.service, attributes, minuteUnix: Number(r.minute) * 60, ...v }];
  });

  // Retried jobs seen in the retry-storm window, with every consumer attempt's start and end.
  const sinceNs = String(BigInt(end - 10 * 60) * 1_000_000_000n);
  const retried = await sql.query<{ job_id: string }>(
    `SELECT job_id FROM jobs WHERE last_seen_ns >= $1 AND max_job_attempt > 1 ORDER BY last_seen_ns DESC LIMIT ${RETRIED_JOB_SAMPLE}`,
    [sinceNs],
  );
  const attemptSamples: Record<string, AttemptSample[]> = {};
  if (retried.length > 0) {
    const attempts = await sql.query<{ job_id: string; service: string; job_attempt: number | null; start_ns: string; end_ns: string }>(
      `SELECT job_id, service, job_attempt, start_ns::text, end_ns::text FROM spans
       WHERE job_id = ANY($1::text[]) AND kind = 'CONSUMER' AND start_ns >= $2 ORDER BY job_id, start_ns`,
      [retried.map((r) => r.job_id), String(BigInt(end - 40 * 60) * 1_000_000_000n)],
    );
    for (const a of attempts) {
      (attemptSamples[a.service] ??= []).push({
        jobId: a.job_id, attempt: a.job_attempt ?? 1, startedAtMs: Number(BigInt(a.start_ns) / 1_000_000n), endedAtMs: Number(BigInt(a.end_ns) / 1_000_000n),
      });
    }
  }

  const queues = [...new Set(flows.filter((f) => f.flow === "consume").map((f) => f.target))];
  const exampleJobIds: Record<string, string[]> = {};
  for (const queue of queues) {
    const rows = await sql.query<{ job_id: string }>(
      `SELECT job_id FROM jobs WHERE last_seen_ns >= $1 AND status = 'running' AND $2 = ANY(queues) ORDER BY last_seen_ns DESC LIMIT 5`,
      [sinceNs, queue],
    );
    exampleJobIds[queue] = rows.map((r) => r.job_id);
  }
  return {
    now: opts.now, lagSeconds: opts.lagSeconds, flows, metrics, attemptSamples, exampleJobIds, thresholds: opts.thresholds,
    consumerP99Ms: await readConsumerP99(sql, from, end),
    sloThresholdMsByQueue: sloThresholdsByQueue(opts.sloDefinitions ?? []),
  };
}
