// Saturation detector for one queue: arrivals outrunning completions, Little's-law wait, time to breach, utilisation, pool wait, the latency knee,
// and capacity falling towards arrivals as the workers slow down (before any backlog shows).
import { FLOW_BUCKET_SECONDS } from "../../telemetry/core/rollups/flow-rollup";
import { detectLatencyKnee } from "./latency-knee";
import { littlesLawWaitS, recommendCapacity, timeToBreachS } from "./queueing";
import { type SaturationFigures, saturationSummary } from "./saturation-summary";
import { countPerMinuteToRatePerS, latestValue, meanOf, minuteOf, presentValues, slopePerMinute, windowEndingAt } from "./series";
import type { SaturationThresholds } from "./thresholds";
import type { NamedSeries, SignalCandidate } from "./types";

export { recommendCapacity };

export interface SaturationInput {
  queue: string;
  /** Jobs enqueued per minute (PRODUCER / publish spans per messaging.destination.name). */
  arrivals: NamedSeries;
  /** Jobs finished per minute (CONSUMER / process spans). */
  completions: NamedSeries;
  /** Queue depth at the end of each minute. */
  backlog: NamedSeries;
  /** Mean time one slot spends on one job. */
  serviceTimeMs: NamedSeries;
  /** Workers consuming the queue. */
  workers: NamedSeries;
  slotsPerWorker: number;
  /** Busy ratio 0..1 of the workers or GPUs. */
  utilisation?: NamedSeries;
  poolWaitMs?: NamedSeries;
  latencyP99?: NamedSeries;
  /** Mean service time of the jobs completed in each of the newest flow buckets (FLOW_BUCKET_SECONDS each, oldest first): what capacity is now, and where it is heading. */
  recentServiceTimesMs?: (number | null)[];
  /** Worker slots in all (busy time ÷ utilisation); null when unknown. */
  slots?: number | null;
  /** Defaults to `completions`. */
  throughput?: NamedSeries;
  /** Threshold of the job-completion SLO this queue feeds, e.g. 300000 for "p95 < 5 min". */
  sloThresholdMs?: number;
  exampleJobIds?: string[];
  now: Date;
  thresholds: SaturationThresholds;
}

/**
 * Evaluates the minutes that ended before `now` (the current minute is still filling up).
 * Null when there is no saturation, or too few minutes of arrivals and completions to judge.
 */
export function detectSaturation(input: SaturationInput): SignalCandidate | null {
  const t = input.thresholds;
  const end = minuteOf(input.now) - 60;
  const rateWindow = (s: NamedSeries) => windowEndingAt(s.points, end, t.rateWindowMinutes);
  const trendWindow = (s: NamedSeries | undefined) => (s ? windowEndingAt(s.points, end, t.trendWindowMinutes) : []);

  const arrivalsW = rateWindow(input.arrivals);
  const completionsW = rateWindow(input.completions);
  if (presentValues(arrivalsW).length < t.minPresentMinutes || presentValues(completionsW).length < t.minPresentMinutes) return null;
  const arrivalRatePerS = countPerMinuteToRatePerS(arrivalsW);
  const completionRatePerS = countPerMinuteToRatePerS(completionsW);
  if (arrivalRatePerS === null || completionRatePerS === null) return null;

  const backlogW = trendWindow(input.backlog);
  const backlogValues = presentValues(backlogW);
  const backlog = latestValue(backlogW);
  const backlogSlopePerMinute = backlogValues.length >= t.minPresentMinutes ? slopePerMinute(backlogW) : null;
  const serviceTimeMs = meanOf(trendWindow(input.serviceTimeMs));
  const workers = latestValue(trendWindow(input.workers));
  const utilisationRatio = meanOf(trendWindow(input.utilisation));
  const poolWaitMs = meanOf(trendWindow(input.poolWaitMs));

  // A backlog that shrank in the newest minute is draining: a burst being absorbed, not saturation.
  const [previousBacklog, newestBacklog] = backlogValues.slice(-2);
  const backlogDraining = previousBacklog !== undefined && newestBacklog !== undefined && newestBacklog < previousBacklog;
  const stalled = completionRatePerS === 0 && arrivalRatePerS > 0;
  // A measured queue depth that rose by twice the minimum slope in the newest minute is arrivals
  // outrunning completions already; the rate means over the window would see it a minute or two later.
  const depthRising = previousBacklog !== undefined && newestBacklog !== undefined && newestBacklog - previousBacklog >= 2 * t.minBacklogSlopePerMinute;
  const backlogGrowth =
    (arrivalRatePerS > completionRatePerS * (1 + t.arrivalExcessRatio) || depthRising) &&
    !backlogDraining &&
    (backlogSlopePerMinute === null || backlogSlopePerMinute >= t.minBacklogSlopePerMinute) &&
    (backlog === null || backlog >= t.minBacklog);
  const growthPerS = backlogSlopePerMinute !== null ? backlogSlopePerMinute / 60 : arrivalRatePerS - completionRatePerS;
  const expectedWaitS = backlog === null ? null : littlesLawWaitS({ backlog, completionRatePerS });
  const breachS =
    input.sloThresholdMs === undefined || backlog === null
      ? null
      : timeToBreachS({ backlog, backlogGrowthPerS: growthPerS, completionRatePerS, serviceTimeMs: serviceTimeMs ?? 0, sloThresholdMs: input.sloThresholdMs });
  const waitOverSlo =
    input.sloThresholdMs !== undefined && backlog !== null && backlog >= t.minBacklog &&
    (expectedWaitS === null || expectedWaitS * 1000 >= t.waitOfSloRatio * input.sloThresholdMs);
  // The queue's own completions are its throughput unless the caller has a better series.
  const throughput = input.throughput ?? input.completions;
  const knee =
    input.latencyP99
      ? detectLatencyKnee({
          latencyP99: input.latencyP99.points,
          throughput: throughput.points,
          endMinuteUnix: end,
          recentMinutes: t.rateWindowMinutes,
          baselineMinutes: t.kneeBaselineMinutes,
          minPresentMinutes: t.minPresentMinutes,
          minP99RiseRatio: t.kneeMinP99RiseRatio,
          elasticity: t.kneeElasticity,
        })
      : null;

  // Capacity at the newest service time against the newest minute's arrivals: workers slowing down (a GPU
  // throttling, a slower model) show here while the queue still drains, before any backlog forms.
  const newestArrivals = latestValue(arrivalsW);
  const recentArrivalRatePerS = newestArrivals === null ? null : newestArrivals / 60;
  const baselineServiceTimeMs = meanOf(windowEndingAt(input.serviceTimeMs.points, end - 60, t.kneeBaselineMinutes));
  const recent = input.recentServiceTimesMs ?? [];
  const recentServiceTimeMs = recent.at(-1) ?? null;
  const capacityPerS = recentServiceTimeMs !== null && recentServiceTimeMs > 0 && input.slots ? (input.slots * 1000) / recentServiceTimeMs : null;
  const capacityHeadroom = capacityPerS !== null && recentArrivalRatePerS ? capacityPerS / recentArrivalRatePerS : null;
  // The service time at which capacity equals arrivals, and when the newest buckets' trend reaches it.
  const previousServiceTimeMs = recent.at(-2) ?? null;
  const risingMsPerS = recentServiceTimeMs !== null && previousServiceTimeMs !== null && recentServiceTimeMs > previousServiceTimeMs ? (recentServiceTimeMs - previousServiceTimeMs) / FLOW_BUCKET_SECONDS : null;
  const breakEvenMs = input.slots && recentArrivalRatePerS ? (input.slots * 1000) / recentArrivalRatePerS : null;
  const capacityBelowArrivalsInS =
    risingMsPerS !== null && breakEvenMs !== null && recentServiceTimeMs !== null ? Math.max(0, (breakEvenMs - recentServiceTimeMs) / risingMsPerS) : null;
  const capacityFalling =
    baselineServiceTimeMs !== null && recentServiceTimeMs !== null && recentServiceTimeMs >= baselineServiceTimeMs * (1 + t.serviceTimeRiseRatio) &&
    ((capacityHeadroom !== null && capacityHeadroom <= t.minCapacityHeadroom) || (capacityBelowArrivalsInS !== null && capacityBelowArrivalsInS <= t.capacityLookaheadSeconds));

  const reasons: [string, boolean, NamedSeries[]][] = [
    ["no_completions", stalled, [input.completions]],
    ["backlog_growth", backlogGrowth && !stalled, [input.arrivals, input.completions, input.backlog]],
    ["wait_over_slo", waitOverSlo, [input.backlog]],
    ["utilisation_high", utilisationRatio !== null && utilisationRatio >= t.utilisationHighRatio, input.utilisation ? [input.utilisation] : []],
    ["pool_wait_high", poolWaitMs !== null && poolWaitMs >= t.poolWaitHighMs, input.poolWaitMs ? [input.poolWaitMs] : []],
    ["latency_knee", knee !== null, input.latencyP99 ? [input.latencyP99, throughput] : []],
    ["capacity_falling", capacityFalling, [input.serviceTimeMs, input.arrivals]],
  ];
  const found = reasons.filter(([, hit]) => hit);
  if (found.length === 0) return null;

  // Size for what the workers face now: while capacity falls, at the newest service time and the busier arrival rate,
  // not the window's means, which still carry the healthy minutes.
  const sizingServiceTimeMs = capacityFalling && recentServiceTimeMs !== null ? Math.max(recentServiceTimeMs, serviceTimeMs ?? 0) : serviceTimeMs;
  const sizingArrivalRatePerS = capacityFalling && recentArrivalRatePerS !== null ? Math.max(arrivalRatePerS, recentArrivalRatePerS) : arrivalRatePerS;
  // Stalled consumers wait on something else; adding more of them would not drain anything.
  const workersNeeded =
    sizingServiceTimeMs === null || stalled
      ? null
      : recommendCapacity({ arrivalRatePerS: sizingArrivalRatePerS, serviceTimeMs: sizingServiceTimeMs, slotsPerWorker: input.slotsPerWorker, backlog: backlog ?? 0, drainMinutes: t.drainMinutes, targetUtilisation: t.targetUtilisation });
  const figures: SaturationFigures = {
    arrivalRatePerS, completionRatePerS, backlog, backlogSlopePerMinute, expectedWaitS, timeToBreachS: breachS,
    serviceTimeMs, workers, workersNeeded, utilisationRatio, poolWaitMs,
    p99RiseRatio: knee?.p99RiseRatio ?? null, throughputRiseRatio: knee?.throughputRiseRatio ?? null,
    capacityPerS, capacityHeadroom, recentArrivalRatePerS, recentServiceTimeMs, baselineServiceTimeMs, capacityBelowArrivalsInS,
  };
  const reasonCodes = found.map(([code]) => code);
  const critical = stalled || (breachS !== null && breachS <= t.criticalTimeToBreachMinutes * 60 && (backlogGrowth || waitOverSlo));
  const seriesNames = [...new Set([input.arrivals, input.completions, input.backlog, ...found.flatMap(([, , s]) => s)].map((s) => s.name))];
  return {
    kind: "saturation",
    resource: input.queue,
    severity: critical ? "critical" : "warning",
    summary: saturationSummary({ queue: input.queue, reasonCodes, figures, sloThresholdMs: input.sloThresholdMs, drainMinutes: t.drainMinutes }),
    reasonCodes,
    evidence: { series: seriesNames, figures: { ...figures }, exampleJobIds: input.exampleJobIds ?? [] },
  };
}
