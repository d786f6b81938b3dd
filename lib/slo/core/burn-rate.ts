/** Burn rates over trailing windows and the multi-window multi-burn-rate evaluation (SRE workbook, chapter 5). */
import { nominalWindowMinutes, type BurnRateRule, type SloWindow } from "./definition";
import { errorBudgetE8, RATIO_SCALE_E8, type Objective } from "./objective";
import { buildMinuteSeries, lastDataMinute, sumMinuteRange, unixMinuteOf, type MinuteRollup } from "./series";

export type Severity = BurnRateRule["severity"];

/** (1 − SLI) / (1 − objective): 1 spends the budget in exactly one window. Null when the window has no events. */
export function burnRate(options: { good: number; total: number; objective: Objective }): number | null {
  const { good, total, objective } = options;
  if (!(total > 0) || !Number.isFinite(total) || !Number.isFinite(good)) return null;
  const bad = Math.max(0, total - Math.min(good, total));
  // Integer scale first: 1 bad in 1,000 at 99.9 % is exactly 1, not 0.9999999999999998.
  return (bad * RATIO_SCALE_E8) / (total * errorBudgetE8(objective));
}

/**
 * The burn factor a rule fires at. Rules written as "budget consumed" are turned into a factor for this SLO's
 * window, so 2 % in 1 h is 14.4× on 30 days and 13.44× on 28 days: both page after the same share of budget.
 */
export function burnRateThreshold(rule: BurnRateRule, window: SloWindow): number {
  if (rule.burnRate !== undefined) return rule.burnRate;
  const consumedPercent = rule.budgetConsumedPercent ?? 0;
  return (consumedPercent * nominalWindowMinutes(window)) / (100 * rule.longWindowMinutes);
}

export type WindowBurn = { windowMinutes: number; good: number; total: number; burnRate: number | null };

export type RuleEvaluation = {
  rule: BurnRateRule;
  thresholdBurnRate: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Both windows at or above the threshold: the rule's alert condition. */
  firing: boolean;
  /** Neither window at or above the threshold; a window without events counts as below. */
  clear: boolean;
};

export type BurnRateEvaluation = {
  windows: WindowBurn[];
  rules: RuleEvaluation[];
  /** Most severe firing severity, page before ticket. */
  firingSeverity: Severity | null;
  /** Minutes since the last minute with events (0 when the current minute has some), null when no row has any. */
  minutesSinceLastData: number | null;
};

/** Burn rate over each trailing window ending at the minute containing `now`; one pass builds prefix sums, each window is O(1). */
export function burnRatesOverWindows(options: {
  rollups: readonly MinuteRollup[];
  objective: Objective;
  windowMinutes: readonly number[];
  now: Date;
}): WindowBurn[] {
  const { rollups, objective, now } = options;
  const nowMinute = unixMinuteOf(now);
  const distinct = [...new Set(options.windowMinutes)].sort((a, b) => a - b);
  const longest = distinct.at(-1) ?? 0;
  const series = buildMinuteSeries({ rollups, firstMinute: nowMinute - longest + 1, lastMinute: nowMinute });
  return distinct.map((windowMinutes) => {
    const sums = sumMinuteRange(series, { fromMinute: nowMinute - windowMinutes + 1, toMinute: nowMinute });
    return { windowMinutes, good: sums.good, total: sums.total, burnRate: burnRate({ ...sums, objective }) };
  });
}

export function evaluateBurnRates(options: {
  rollups: readonly MinuteRollup[];
  objective: Objective;
  rules: readonly BurnRateRule[];
  window: SloWindow;
  now: Date;
}): BurnRateEvaluation {
  const { rollups, objective, rules, window, now } = options;
  const windows = burnRatesOverWindows({
    rollups,
    objective,
    windowMinutes: rules.flatMap((r) => [r.longWindowMinutes, r.shortWindowMinutes]),
    now,
  });
  const byMinutes = new Map(windows.map((w) => [w.windowMinutes, w.burnRate]));
  const ruleResults = rules.map((rule): RuleEvaluation => {
    const thresholdBurnRate = burnRateThreshold(rule, window);
    const longBurnRate = byMinutes.get(rule.longWindowMinutes) ?? null;
    const shortBurnRate = byMinutes.get(rule.shortWindowMinutes) ?? null;
    const above = (rate: number | null) => rate !== null && rate >= thresholdBurnRate;
    return {
      rule,
      thresholdBurnRate,
      longBurnRate,
      shortBurnRate,
      firing: above(longBurnRate) && above(shortBurnRate),
      clear: !above(longBurnRate) && !above(shortBurnRate),
    };
  });
  const firingSeverity = ruleResults.some((r) => r.firing && r.rule.severity === "page")
    ? "page"
    : ruleResults.some((r) => r.firing)
      ? "ticket"
      : null;
  const nowMinute = unixMinuteOf(now);
  const last = lastDataMinute(rollups, nowMinute);
  return { windows, rules: ruleResults, firingSeverity, minutesSinceLastData: last === null ? null : nowMinute - last };
}
