// Connection-pool saturation for one service's pool: callers waiting for a connection, acquisitions
// timing out, every connection in use. A pool is a queue with a fixed number of servers, so it is
// reported as saturation of that resource.
import { latestValue, meanOf, minuteOf, presentValues, windowEndingAt } from "./series";
import type { SaturationThresholds } from "./thresholds";
import type { NamedSeries, SignalCandidate } from "./types";

export interface PoolInput {
  /** e.g. "db pool sample-api/jobs". */
  resource: string;
  /** Mean time to obtain a connection per minute, ms. */
  waitMs: NamedSeries;
  /** Callers waiting for a connection (gauge mean). */
  pending?: NamedSeries;
  /** Acquisitions that timed out per minute. */
  timeouts?: NamedSeries;
  /** Used ÷ max connections, 0..1. */
  usedRatio?: NamedSeries;
  now: Date;
  thresholds: SaturationThresholds;
}

export function detectPoolSaturation(input: PoolInput): SignalCandidate | null {
  const t = input.thresholds;
  const end = minuteOf(input.now) - 60;
  const recent = (s: NamedSeries | undefined) => (s ? windowEndingAt(s.points, end, t.rateWindowMinutes) : []);
  const waitW = recent(input.waitMs);
  const timeoutsW = recent(input.timeouts);
  if (presentValues(waitW).length < t.minPresentMinutes && presentValues(timeoutsW).length === 0) return null;
  const waitMs = meanOf(waitW);
  const latestWaitMs = latestValue(waitW);
  const timeoutsPerMinute = meanOf(timeoutsW);
  const latestTimeouts = latestValue(timeoutsW);
  const pending = meanOf(recent(input.pending));
  const usedRatio = meanOf(recent(input.usedRatio));

  // The newest minute must still show the problem: a pool that recovered is not saturated.
  const waitHigh = waitMs !== null && waitMs >= t.poolWaitHighMs && (latestWaitMs ?? waitMs) >= t.poolWaitHighMs;
  const timingOut = timeoutsPerMinute !== null && timeoutsPerMinute > 0 && (latestTimeouts ?? 0) > 0;
  const exhausted = usedRatio !== null && usedRatio >= t.utilisationHighRatio && pending !== null && pending >= 1;
  const reasons: [string, boolean, (NamedSeries | undefined)[]][] = [
    ["pool_wait_high", waitHigh, [input.waitMs]],
    ["pool_timeouts", timingOut, [input.timeouts]],
    ["pool_exhausted", exhausted, [input.usedRatio, input.pending]],
  ];
  const found = reasons.filter(([, hit]) => hit);
  // Full pools are normal under load; waiting or timing out callers are the harm.
  if (!waitHigh && !timingOut) return null;
  const parts = [
    waitMs !== null ? `callers wait ${Math.round(waitMs)} ms for a connection` : null,
    timingOut && timeoutsPerMinute !== null ? `${Math.round(timeoutsPerMinute * 10) / 10} acquisitions/min time out` : null,
    usedRatio !== null ? `${Math.round(usedRatio * 100)} % of connections in use` : null,
  ].filter((p): p is string => p !== null);
  return {
    kind: "saturation",
    resource: input.resource,
    severity: timingOut ? "critical" : "warning",
    summary: `${input.resource} is saturated: ${parts.join(", ")}. Look for connections held across slow work or leaked, before raising the pool size.`,
    reasonCodes: found.map(([code]) => code),
    evidence: {
      series: [...new Set(found.flatMap(([, , s]) => s).filter((s): s is NamedSeries => s !== undefined).map((s) => s.name))],
      figures: { waitMs, timeoutsPerMinute, pending, usedRatio },
      exampleJobIds: [],
    },
  };
}
