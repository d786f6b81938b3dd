// What a saturation evaluation measured, and the one-line summary of a signal built from those figures.
import { formatCount, formatEta, formatMs, formatPercent, formatRate, formatThresholdAdjective } from "./format";

/** The figures one evaluation measured; null where the data had gaps. */
export interface SaturationFigures {
  arrivalRatePerS: number;
  completionRatePerS: number;
  backlog: number | null;
  backlogSlopePerMinute: number | null;
  expectedWaitS: number | null;
  timeToBreachS: number | null;
  serviceTimeMs: number | null;
  workers: number | null;
  workersNeeded: number | null;
  utilisationRatio: number | null;
  poolWaitMs: number | null;
  p99RiseRatio: number | null;
  throughputRiseRatio: number | null;
  /** Jobs/s the slots complete at the newest service time, and that ÷ the newest minute's arrivals (below 1, the backlog grows). */
  capacityPerS: number | null;
  capacityHeadroom: number | null;
  recentArrivalRatePerS: number | null;
  recentServiceTimeMs: number | null;
  baselineServiceTimeMs: number | null;
  /** Seconds until capacity falls below arrivals if the service time keeps rising as in the newest buckets; null when it is not rising. */
  capacityBelowArrivalsInS: number | null;
}

/** e.g. "queue `jobs` saturating: arrival 85/s > service 60/s, backlog 4,100, breach of the 5-minute completion SLO in ~6 min; 3 more workers would drain it in 10 min" */
export function saturationSummary(options: {
  queue: string;
  reasonCodes: string[];
  figures: SaturationFigures;
  sloThresholdMs: number | undefined;
  drainMinutes: number;
}): string {
  const { queue, reasonCodes, figures: f, sloThresholdMs, drainMinutes } = options;
  const has = (code: string) => reasonCodes.includes(code);
  const parts: string[] = [];
  const backlogText = f.backlog === null ? "" : `, backlog ${formatCount(f.backlog)}`;

  if (has("no_completions")) parts.push(`arrival ${formatRate(f.arrivalRatePerS)}/s but nothing completes${backlogText}`);
  else if (has("backlog_growth")) parts.push(`arrival ${formatRate(f.arrivalRatePerS)}/s > service ${formatRate(f.completionRatePerS)}/s${backlogText}`);
  else if (has("wait_over_slo") && f.backlog !== null) parts.push(`backlog ${formatCount(f.backlog)} at ${formatRate(f.completionRatePerS)}/s served`);

  if (sloThresholdMs !== undefined && f.timeToBreachS !== null && (has("backlog_growth") || has("wait_over_slo") || has("no_completions"))) {
    const slo = `${formatThresholdAdjective(sloThresholdMs)} completion SLO`;
    parts.push(f.timeToBreachS <= 0 ? `new jobs already miss the ${slo}` : `breach of the ${slo} in ${formatEta(f.timeToBreachS)}`);
  } else if (has("wait_over_slo") && f.expectedWaitS !== null) {
    parts.push(`expected queue wait ${formatMs(f.expectedWaitS * 1000)}`);
  }
  if (has("capacity_falling") && f.capacityPerS !== null && f.recentArrivalRatePerS !== null && f.recentServiceTimeMs !== null && f.baselineServiceTimeMs !== null) {
    const versus = f.capacityPerS < f.recentArrivalRatePerS ? "below" : f.capacityHeadroom !== null && f.capacityHeadroom <= 1.2 ? "barely above" : "above";
    const trend = f.capacityPerS >= f.recentArrivalRatePerS && f.capacityBelowArrivalsInS !== null ? `, below them in ~${Math.round(f.capacityBelowArrivalsInS)} s at this rate` : "";
    parts.push(
      `service time ${formatMs(f.recentServiceTimeMs)} (was ${formatMs(f.baselineServiceTimeMs)}): capacity ${formatRate(f.capacityPerS)}/s ${versus} arrivals ${formatRate(f.recentArrivalRatePerS)}/s${trend}`,
    );
  }
  if (has("utilisation_high") && f.utilisationRatio !== null) parts.push(`workers ${formatPercent(f.utilisationRatio)} busy`);
  if (has("pool_wait_high") && f.poolWaitMs !== null) parts.push(`pool wait ${formatMs(f.poolWaitMs)}`);
  if (has("latency_knee") && f.p99RiseRatio !== null && f.throughputRiseRatio !== null) {
    const tp = f.throughputRiseRatio >= 0 ? `+${formatPercent(f.throughputRiseRatio)}` : formatPercent(f.throughputRiseRatio);
    parts.push(`latency knee: p99 +${formatPercent(f.p99RiseRatio)} for throughput ${tp}`);
  }

  let text = `queue \`${queue}\` saturating: ${parts.join(", ")}`;
  const more = f.workersNeeded !== null && f.workers !== null ? f.workersNeeded - f.workers : null;
  if (more !== null && more > 0) {
    const draining = (f.backlog ?? 0) > 0 ? `would drain it in ${formatCount(drainMinutes)} min` : "would restore headroom";
    text += `; ${more} more worker${more === 1 ? "" : "s"} ${draining}`;
  }
  return text;
}
