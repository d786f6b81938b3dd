import { describe, expect, it } from "vitest";
import { seededRandom } from "../../random/seeded";
import { computeBudget, forecastBudgetExhaustion, windowBounds } from "./budget";
import type { Budgeting, SloWindow } from "./definition";
import { parseObjectivePercent, type Objective } from "./objective";
import type { MinuteRollup } from "./series";

const NOW = new Date("2026-03-15T12:00:30Z");
const NOW_MINUTE = Math.floor(NOW.getTime() / 60_000);
const ROLLING_7D: SloWindow = { type: "rolling", durationDays: 7 };
const ROLLING_30D: SloWindow = { type: "rolling", durationDays: 30 };
const OCCURRENCES: Budgeting = { method: "occurrences" };

function objective(percent: string): Objective {
  const result = parseObjectivePercent(percent);
  if (!result.ok) throw new Error(result.reason);
  return result.objective;
}
/** A rollup `minutesAgo` minutes before the minute containing NOW. */
const ago = (minutesAgo: number, good: number, total: number): MinuteRollup => ({ minuteUnix: (NOW_MINUTE - minutesAgo) * 60, good, total });
const at = (iso: string, good: number, total: number): MinuteRollup => ({ minuteUnix: Date.parse(iso) / 1000, good, total });

describe("windowBounds", () => {
  it("rolling 7d ends with the minute containing now", () => {
    expect(windowBounds(ROLLING_7D, NOW)).toEqual({ firstMinute: NOW_MINUTE - 10_079, lastMinute: NOW_MINUTE, windowMinutes: 10_080, elapsedMinutes: 10_080 });
  });
  it.each([
    ["2026-02-10T00:00:00Z", "2026-02-01T00:00:00Z", 28 * 1440, 9 * 1440 + 1],
    ["2024-02-29T23:59:59Z", "2024-02-01T00:00:00Z", 29 * 1440, 29 * 1440],
    ["2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", 31 * 1440, 1],
    ["2026-04-30T12:00:00Z", "2026-04-01T00:00:00Z", 30 * 1440, 29 * 1440 + 721],
  ])("calendar month at %s starts %s", (now, start, windowMinutes, elapsedMinutes) => {
    const bounds = windowBounds({ type: "calendarMonth", timeZone: "UTC" }, new Date(now));
    expect(bounds.firstMinute).toBe(Date.parse(start) / 60_000);
    expect(bounds.windowMinutes).toBe(windowMinutes);
    expect(bounds.elapsedMinutes).toBe(elapsedMinutes);
  });
});

describe("computeBudget, occurrences", () => {
  it.each([
    // label, objective, rollups, sli, consumed ratio, budget events total
    ["1 bad in 1,000 at 99.9 spends it all", "99.9", [ago(0, 999, 1000)], 0.999, 1, 1],
    ["10 bad in 10,000 at 99", "99", [ago(3, 9990, 10_000)], 0.999, 0.1, 100],
    ["10 bad in 10,000 at 99.9", "99.9", [ago(3, 9990, 10_000)], 0.999, 1, 10],
    ["10 bad in 10,000 at 99.99", "99.99", [ago(3, 9990, 10_000)], 0.999, 10, 1],
    ["spread over minutes sums first", "99.9", [ago(1, 500, 500), ago(2, 499, 500)], 0.999, 1, 1],
    // Mean of minute ratios would be (0 + 1) / 2 = 0.5; the true ratio is 1000 / 1001.
    ["uneven traffic uses the true ratio", "99", [ago(1, 0, 1), ago(2, 1000, 1000)], 1000 / 1001, (1 / 1001) / 0.01, 10.01],
    ["all good", "99.9", [ago(0, 50, 50)], 1, 0, 0.05],
  ] as const)("%s", (_label, percent, rollups, sli, consumed, budgetEvents) => {
    const report = computeBudget({ rollups, window: ROLLING_7D, objective: objective(percent), budgeting: OCCURRENCES, now: NOW });
    expect(report.noData).toBe(false);
    expect(report.sliRatio).toBeCloseTo(sli, 12);
    expect(report.budgetConsumedRatio).toBeCloseTo(consumed, 12);
    expect(report.budgetRemainingRatio).toBeCloseTo(1 - consumed, 12);
    expect(report.events.budgetTotal).toBeCloseTo(budgetEvents, 9);
    expect(report.events.budgetRemaining).toBeCloseTo(budgetEvents - report.events.bad, 9);
  });

  it("is exactly 1 for 1 bad in 1,000 at 99.9 (no float noise)", () => {
    const report = computeBudget({ rollups: [ago(0, 999, 1000)], window: ROLLING_7D, objective: objective("99.9"), budgeting: OCCURRENCES, now: NOW });
    expect(report.budgetConsumedRatio).toBe(1);
    expect(report.budgetRemainingRatio).toBe(0);
  });

  it.each([
    ["first minute of the window counts", [ago(10_079, 0, 10)], 10],
    ["the minute before the window does not", [ago(10_080, 0, 10)], 0],
    ["a future minute does not", [ago(-1, 0, 10)], 0],
    ["the current partial minute does", [ago(0, 0, 10)], 10],
  ] as const)("window edge: %s", (_label, rollups, bad) => {
    const report = computeBudget({ rollups, window: ROLLING_7D, objective: objective("99.9"), budgeting: OCCURRENCES, now: NOW });
    expect(report.events.bad).toBe(bad);
  });

  it("no data is no data: null SLI and null budget figures (nothing is known spent or left), never NaN", () => {
    for (const rollups of [[], [ago(1, 0, 0)], [ago(20_000, 5, 10)]]) {
      const report = computeBudget({ rollups, window: ROLLING_7D, objective: objective("99.9"), budgeting: OCCURRENCES, now: NOW });
      expect(report).toMatchObject({ noData: true, sliRatio: null, budgetConsumedRatio: null, budgetRemainingRatio: null });
      expect(Object.values(report.events).every(Number.isFinite)).toBe(true);
    }
  });

  it("drops rows that cannot be counted and caps good at total", () => {
    const rollups = [ago(1, Number.NaN, 10), ago(2, 5, -1), ago(3, 12, 10), ago(4, 0, Number.POSITIVE_INFINITY)];
    const report = computeBudget({ rollups, window: ROLLING_7D, objective: objective("99.9"), budgeting: OCCURRENCES, now: NOW });
    expect(report.events).toMatchObject({ good: 10, total: 10, bad: 0 });
    expect(report.sliRatio).toBe(1);
  });

  it("calendar month starts at the first of the month, UTC", () => {
    const now = new Date("2026-02-10T08:00:00Z");
    const rollups = [at("2026-01-31T23:59:00Z", 0, 100), at("2026-02-01T00:00:00Z", 90, 100), at("2026-02-10T07:59:00Z", 100, 100)];
    const report = computeBudget({ rollups, window: { type: "calendarMonth", timeZone: "UTC" }, objective: objective("99"), budgeting: OCCURRENCES, now });
    expect(report.events).toMatchObject({ good: 190, total: 200, bad: 10 });
    expect(report.budgetConsumedRatio).toBe(5); // 10 bad of 2 allowed
  });
});

describe("computeBudget, timeslices", () => {
  const slices1m: Budgeting = { method: "timeslices", sliceMinutes: 1, sliceThresholdRatio: 0.95 };

  it("counts good and bad minutes, skips empty ones, sizes the budget on the full window", () => {
    const rollups = [ago(1, 100, 100), ago(2, 90, 100), ago(3, 95, 100), ago(4, 0, 0)];
    const report = computeBudget({ rollups, window: ROLLING_30D, objective: objective("99.9"), budgeting: slices1m, now: NOW });
    // 99.9 % of 30 days = 43.2 minutes of budget; one bad minute (90 %), 95 % is good (≥ threshold).
    expect(report.minutes).toEqual({ goodMinutes: 2, badMinutes: 1, noDataMinutes: 43_200 - 3, budgetTotal: 43.2, budgetConsumed: 1, budgetRemaining: 42.2 });
    expect(report.sliRatio).toBeCloseTo(2 / 3, 12);
    expect(report.budgetConsumedRatio).toBeCloseTo(1 / 43.2, 12);
    expect(report.noData).toBe(false);
  });

  it("5-minute slices aggregate their minutes before the threshold", () => {
    const sliceStart = Math.floor((NOW_MINUTE - 20) / 5) * 5;
    const minute = (offset: number, good: number, total: number): MinuteRollup => ({ minuteUnix: (sliceStart + offset) * 60, good, total });
    // Slice A: 0/10 then 190/190 → 190/200 = 0.95, good. Slice B: 80/100 → bad.
    const rollups = [minute(0, 0, 10), minute(3, 190, 190), minute(5, 80, 100)];
    const report = computeBudget({ rollups, window: ROLLING_30D, objective: objective("99"), budgeting: { method: "timeslices", sliceMinutes: 5, sliceThresholdRatio: 0.95 }, now: NOW });
    expect(report.minutes).toMatchObject({ goodMinutes: 5, badMinutes: 5, budgetTotal: 432 });
    expect(report.budgetConsumedRatio).toBeCloseTo(5 / 432, 12);
  });

  it("no data slices only: noData, budget figures null", () => {
    const report = computeBudget({ rollups: [], window: ROLLING_30D, objective: objective("99.9"), budgeting: slices1m, now: NOW });
    expect(report).toMatchObject({ noData: true, sliRatio: null, budgetConsumedRatio: null, budgetRemainingRatio: null });
  });
});

describe("forecastBudgetExhaustion", () => {
  it.each([
    ["half left at 2× on 30 d", 0.5, 2, 43_200, 10_800],
    ["all left at 1× lasts one window", 1, 1, 43_200, 43_200],
    ["all left at 14.4× on 30 d", 1, 14.4, 43_200, 3000],
    ["already exhausted", -0.2, 3, 43_200, 0],
  ] as const)("%s", (_label, budgetRemainingRatio, burnRate, windowMinutes, minutes) => {
    const forecast = forecastBudgetExhaustion({ budgetRemainingRatio, burnRate, windowMinutes, now: NOW });
    expect(forecast?.minutesUntilExhausted).toBeCloseTo(minutes, 9);
    expect(forecast?.exhaustedAt.getTime()).toBeCloseTo(NOW.getTime() + minutes * 60_000, 0);
  });

  it.each([[null], [0], [-1], [Number.NaN]])("not burning (%s) → null", (burnRate) => {
    expect(forecastBudgetExhaustion({ budgetRemainingRatio: 0.5, burnRate, windowMinutes: 43_200, now: NOW })).toBeNull();
  });

  it("is monotonic: more burn or less budget never forecasts later (seeded)", () => {
    const random = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const remaining = random();
      const burn = 0.01 + random() * 50;
      const base = forecastBudgetExhaustion({ budgetRemainingRatio: remaining, burnRate: burn, windowMinutes: 40_320, now: NOW })!.minutesUntilExhausted;
      const faster = forecastBudgetExhaustion({ budgetRemainingRatio: remaining, burnRate: burn * (1 + random()), windowMinutes: 40_320, now: NOW })!.minutesUntilExhausted;
      const poorer = forecastBudgetExhaustion({ budgetRemainingRatio: remaining * random(), burnRate: burn, windowMinutes: 40_320, now: NOW })!.minutesUntilExhausted;
      expect(faster).toBeLessThanOrEqual(base);
      expect(poorer).toBeLessThanOrEqual(base);
      expect(Number.isFinite(base)).toBe(true);
    }
  });
});

describe("properties (seeded)", () => {
  it("the window's events equal the sum over any split into sub-windows, and the SLI is their true ratio", () => {
    const random = seededRandom(1234);
    for (let trial = 0; trial < 50; trial++) {
      const rollups: MinuteRollup[] = [];
      for (let m = 0; m < 10_080; m++) {
        if (random() < 0.3) continue; // gaps are no data
        const total = Math.floor(random() * (random() < 0.1 ? 5000 : 20));
        rollups.push(ago(m, Math.floor(total * (0.9 + random() * 0.1)), total));
      }
      const whole = computeBudget({ rollups, window: ROLLING_7D, objective: objective("99.5"), budgeting: OCCURRENCES, now: NOW });
      const cut = 1 + Math.floor(random() * 10_078);
      const recent = rollups.filter((r) => r.minuteUnix / 60 > NOW_MINUTE - cut);
      const older = rollups.filter((r) => r.minuteUnix / 60 <= NOW_MINUTE - cut);
      const sums = [recent, older].map((part) => computeBudget({ rollups: part, window: ROLLING_7D, objective: objective("99.5"), budgeting: OCCURRENCES, now: NOW }).events);
      expect(whole.events.good).toBe(sums[0]!.good + sums[1]!.good);
      expect(whole.events.total).toBe(sums[0]!.total + sums[1]!.total);
      expect(whole.sliRatio).toBe(whole.events.good / whole.events.total);
      expect(Number.isFinite(whole.budgetConsumedRatio)).toBe(true);
    }
  });
});
