// Summary figures for a load run: percentiles, stable throughput and failure ratio.
/** `jobStatus` is the job's status in the answer ("succeeded" at once means a cache hit). */
export type RequestOutcome = { startedAtMs: number; latencyMs: number; status: number; jobStatus?: string };

/** Nearest-rank percentile of an ascending array; null when empty (no data is not zero). */
export function percentile(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.min(sortedAsc.length, Math.max(1, Math.ceil((p / 100) * sortedAsc.length)));
  return sortedAsc[rank - 1] ?? null;
}

export type RunSummary = {
  offered: number;
  succeeded: number;
  failed: number;
  failureRatio: number;
  stableRps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  byStatus: Record<string, number>;
};

/**
 * A request succeeds with a 2xx; status 0 means no answer (timeout or connection error).
 * Stable RPS counts successes completed within the window [windowStartMs, +durationMs] when a
 * start is given: answers that trickle in after the load stopped are not throughput.
 */
export function summariseRun(outcomes: readonly RequestOutcome[], options: { durationMs: number; droppedClientSide?: number; windowStartMs?: number }): RunSummary {
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
  const dropped = options.droppedClientSide ?? 0;
  if (dropped > 0) byStatus.dropped = dropped;
  const succeeded = outcomes.filter((o) => o.status >= 200 && o.status < 300).length;
  const offered = outcomes.length + dropped;
  const failed = offered - succeeded;
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  return {
    offered,
    succeeded,
    failed,
    failureRatio: offered === 0 ? 0 : failed / offered,
    stableRps: options.durationMs > 0 ? (succeededWithin(outcomes, options) * 1000) / options.durationMs : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    byStatus,
  };
}

function succeededWithin(outcomes: readonly RequestOutcome[], options: { durationMs: number; windowStartMs?: number }): number {
  const ok = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  if (options.windowStartMs === undefined) return ok.length;
  const endMs = options.windowStartMs + options.durationMs;
  return ok.filter((o) => o.startedAtMs + o.latencyMs <= endMs).length;
}
