/** Error budget of one SLO over its window from per-minute rollups: SLI, budget total / consumed / remaining, and when it runs out. */
import type { Budgeting, SloWindow } from "./definition";
import { errorBudgetE8, errorBudgetRatio, RATIO_SCALE_E8, type Objective } from "./objective";
import { sanitiseRollup, unixMinuteOf, type MinuteRollup } from "./series";

export type WindowBounds = {
  /** Inclusive range of Unix minutes the window covers up to now; the minute containing `now` is included, partial as it is. */
  firstMinute: number;
  lastMinute: number;
  /** Full length of the window: the budget is sized against this (a calendar month counts all its days). */
  windowMinutes: number;
  /** Minutes from the window start up to and including now. */
  elapsedMinutes: number;
};

export function windowBounds(window: SloWindow, now: Date): WindowBounds {
  const nowMinute = unixMinuteOf(now);
  if (window.type === "rolling") {
    const windowMinutes = window.durationDays * 1440;
    return { firstMinute: nowMinute - windowMinutes + 1, lastMinute: nowMinute, windowMinutes, elapsedMinutes: windowMinutes };
  }
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const firstMinute = Date.UTC(year, month, 1) / 60_000;
  const windowMinutes = (Date.UTC(year, month + 1, 1) - Date.UTC(year, month, 1)) / 60_000;
  return { firstMinute, lastMinute: nowMinute, windowMinutes, elapsedMinutes: nowMinute - firstMinute + 1 };
}

export type BudgetEvents = { good: number; total: number; bad: number; budgetTotal: number; budgetConsumed: number; budgetRemaining: number };
export type BudgetMinutes = {
  goodMinutes: number;
  badMinutes: number;
  noDataMinutes: number;
  budgetTotal: number;
  budgetConsumed: number;
  budgetRemaining: number;
};

export type BudgetReport = {
  bounds: WindowBounds;
  /** No events in the window (occurrences) or no slice with data (timeslices): the SLI is unknown, and nothing was spent. */
  noData: boolean;
  sliRatio: number | null;
  errorBudgetRatio: number;
  /** Share of the budget spent; above 1 when overspent. Null with no data: nothing was measured, so nothing is known spent or left. */
  budgetConsumedRatio: number | null;
  /** 1 − consumed; negative when overspent, so the console can show by how much. Null with no data. */
  budgetRemainingRatio: number | null;
  events: BudgetEvents;
  /** Only for the timeslices method. */
  minutes: BudgetMinutes | null;
};

export type ComputeBudgetOptions = {
  rollups: readonly MinuteRollup[];
  window: SloWindow;
  objective: Objective;
  budgeting: Budgeting;
  now: Date;
};

export function computeBudget(options: ComputeBudgetOptions): BudgetReport {
  const { rollups, window, objective, budgeting, now } = options;
  const bounds = windowBounds(window, now);
  // The window's SLI is the true event ratio, sum(good) / sum(total), not the mean of per-minute ratios:
  // averaging would give a quiet minute with 1 request the same weight as a busy minute with 10,000.
  let good = 0;
  let total = 0;
  const slices = new Map<number, { good: number; total: number }>();
  const sliceMinutes = budgeting.method === "timeslices" ? budgeting.sliceMinutes : 1;
  for (const row of rollups) {
    const clean = sanitiseRollup(row);
    if (!clean || clean.minute < bounds.firstMinute || clean.minute > bounds.lastMinute) continue;
    good += clean.good;
    total += clean.total;
    if (budgeting.method === "timeslices") {
      const slice = Math.floor(clean.minute / sliceMinutes);
      const entry = slices.get(slice) ?? { good: 0, total: 0 };
      entry.good += clean.good;
      entry.total += clean.total;
      slices.set(slice, entry);
    }
  }
  good = Math.min(good, total);
  const bad = total - good;
  const budgetRatio = errorBudgetRatio(objective);
  const events: BudgetEvents = {
    good,
    total,
    bad,
    budgetTotal: total * budgetRatio,
    budgetConsumed: bad,
    budgetRemaining: total * budgetRatio - bad,
  };
  if (budgeting.method === "occurrences") {
    if (total === 0) return { bounds, noData: true, sliRatio: null, errorBudgetRatio: budgetRatio, budgetConsumedRatio: null, budgetRemainingRatio: null, events, minutes: null };
    // bad / (total × budget) on the integer scale: 1 bad in 1,000 at 99.9 % is exactly 1.
    const consumed = (bad * RATIO_SCALE_E8) / (total * errorBudgetE8(objective));
    return { bounds, noData: false, sliRatio: good / total, errorBudgetRatio: budgetRatio, budgetConsumedRatio: consumed, budgetRemainingRatio: 1 - consumed, events, minutes: null };
  }
  const minutes = timesliceMinutes({ slices, bounds, sliceMinutes, thresholdRatio: budgeting.sliceThresholdRatio, objective });
  const dataMinutes = minutes.goodMinutes + minutes.badMinutes;
  const consumed = dataMinutes === 0 ? null : (minutes.badMinutes * RATIO_SCALE_E8) / (bounds.windowMinutes * errorBudgetE8(objective));
  return {
    bounds,
    noData: dataMinutes === 0,
    sliRatio: dataMinutes === 0 ? null : minutes.goodMinutes / dataMinutes,
    errorBudgetRatio: budgetRatio,
    budgetConsumedRatio: consumed,
    budgetRemainingRatio: consumed === null ? null : 1 - consumed,
    events,
    minutes,
  };
}

/**
 * Timeslices: slices are aligned to the epoch (so they do not shift as `now` moves) and clipped to the window.
 * A slice is good when good/total ≥ the slice threshold. A slice with no events is neither good nor bad: no
 * traffic is not an outage, and counting it good would let idle nights hide daytime failures. The minute budget
 * is sized against the full window (99.9 % of 30 days = 43.2 minutes), the figure people know.
 */
function timesliceMinutes(options: {
  slices: Map<number, { good: number; total: number }>;
  bounds: WindowBounds;
  sliceMinutes: number;
  thresholdRatio: number;
  objective: Objective;
}): BudgetMinutes {
  const { slices, bounds, sliceMinutes, thresholdRatio, objective } = options;
  let goodMinutes = 0;
  let badMinutes = 0;
  for (const [slice, sums] of slices) {
    if (sums.total <= 0) continue;
    const from = Math.max(slice * sliceMinutes, bounds.firstMinute);
    const to = Math.min(slice * sliceMinutes + sliceMinutes - 1, bounds.lastMinute);
    const length = to - from + 1;
    if (Math.min(sums.good, sums.total) / sums.total >= thresholdRatio) goodMinutes += length;
    else badMinutes += length;
  }
  const budgetTotal = (bounds.windowMinutes * errorBudgetE8(objective)) / RATIO_SCALE_E8;
  return {
    goodMinutes,
    badMinutes,
    noDataMinutes: bounds.elapsedMinutes - goodMinutes - badMinutes,
    budgetTotal,
    budgetConsumed: badMinutes,
    budgetRemaining: budgetTotal - badMinutes,
  };
}

export type ExhaustionForecast = { minutesUntilExhausted: number; exhaustedAt: Date };

/**
 * When the remaining budget reaches 0 if the current burn rate holds. A burn rate of 1 spends the whole budget in
 * one window, so the time left is remaining × windowMinutes / burnRate. Rolling windows also regain budget as old
 * failures age out; this ignores that, so it errs on the early side. Null when not burning (no data or burn 0).
 */
export function forecastBudgetExhaustion(options: {
  budgetRemainingRatio: number | null;
  burnRate: number | null;
  windowMinutes: number;
  now: Date;
}): ExhaustionForecast | null {
  const { budgetRemainingRatio, burnRate, windowMinutes, now } = options;
  if (budgetRemainingRatio === null || burnRate === null || !Number.isFinite(burnRate) || burnRate <= 0) return null;
  const minutesUntilExhausted = budgetRemainingRatio <= 0 ? 0 : (budgetRemainingRatio * windowMinutes) / burnRate;
  return { minutesUntilExhausted, exhaustedAt: new Date(now.getTime() + minutesUntilExhausted * 60_000) };
}
