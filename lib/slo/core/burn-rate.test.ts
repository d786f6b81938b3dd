import { describe, expect, it } from "vitest";
import { seededRandom } from "../../random/seeded";
import { burnRate, burnRateThreshold, burnRatesOverWindows, evaluateBurnRates } from "./burn-rate";
import { DEFAULT_BURN_RATE_RULES, type BurnRateRule, type SloWindow } from "./definition";
import { parseObjectivePercent, type Objective } from "./objective";
import type { MinuteRollup } from "./series";

const NOW = new Date("2026-03-15T12:00:30Z");
const NOW_MINUTE = Math.floor(NOW.getTime() / 60_000);
const ROLLING_30D: SloWindow = { type: "rolling", durationDays: 30 };
const ago = (minutesAgo: number, good: number, total: number): MinuteRollup => ({ minuteUnix: (NOW_MINUTE - minutesAgo) * 60, good, total });
function objective(percent: string): Objective {
  const result = parseObjectivePercent(percent);
  if (!result.ok) throw new Error(result.reason);
  return result.objective;
}
/** `minutes` minutes of steady traffic ending `endAgo` minutes ago, `badPerMinute` of `perMinute` failing. */
function steady(options: { fromAgo: number; toAgo: number; perMinute: number; badPerMinute: number }): MinuteRollup[] {
  const rows: MinuteRollup[] = [];
  for (let m = options.toAgo; m <= options.fromAgo; m++) rows.push(ago(m, options.perMinute - options.badPerMinute, options.perMinute));
  return rows;
}

describe("burnRate", () => {
  it.each([
    ["99.9", 999, 1000, 1],
    ["99.9", 990, 1000, 10],
    ["99.9", 0, 10, 1000],
    ["99.9", 1000, 1000, 0],
    ["99", 99, 100, 1],
    ["99", 98, 100, 2],
    ["99.99", 9999, 10_000, 1],
    ["99.99", 99_856, 100_000, 14.4],
  ] as const)("objective %s, %i good of %i → %s×", (percent, good, total, expected) => {
    expect(burnRate({ good, total, objective: objective(percent) })).toBeCloseTo(expected, 12);
  });

  it("is exactly 1 for 1 bad in 1,000 at 99.9", () => {
    expect(burnRate({ good: 999, total: 1000, objective: objective("99.9") })).toBe(1);
  });

  it.each([
    [0, 0],
    [5, 0],
    [Number.NaN, 10],
    [1, Number.POSITIVE_INFINITY],
  ])("no data (%s of %s) → null", (good, total) => {
    expect(burnRate({ good, total, objective: objective("99.9") })).toBeNull();
  });
});

describe("burnRateThreshold", () => {
  it("30-day defaults are the workbook's 14.4, 6, 3 and 1", () => {
    expect(DEFAULT_BURN_RATE_RULES.map((r) => burnRateThreshold(r, ROLLING_30D))).toEqual([14.4, 6, 3, 1]);
  });
  it("28-day defaults spend the same share of budget", () => {
    const thresholds = DEFAULT_BURN_RATE_RULES.map((r) => burnRateThreshold(r, { type: "rolling", durationDays: 28 }));
    [13.44, 5.6, 2.8, 28 / 30].forEach((expected, i) => expect(thresholds[i]).toBeCloseTo(expected, 12));
  });
  it("an explicit factor is used as is", () => {
    expect(burnRateThreshold({ severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, burnRate: 10 }, { type: "rolling", durationDays: 7 })).toBe(10);
  });
});

describe("evaluateBurnRates", () => {
  const run = (rollups: MinuteRollup[], rules: BurnRateRule[] = DEFAULT_BURN_RATE_RULES) =>
    evaluateBurnRates({ rollups, objective: objective("99.9"), rules, window: ROLLING_30D, now: NOW });

  it("2 % errors for the last hour pages on the 1 h / 5 m pair", () => {
    const result = run([...steady({ fromAgo: 4319, toAgo: 60, perMinute: 1000, badPerMinute: 0 }), ...steady({ fromAgo: 59, toAgo: 0, perMinute: 1000, badPerMinute: 20 })]);
    const [fast, slow, day, threeDays] = result.rules;
    expect(fast).toMatchObject({ longBurnRate: 20, shortBurnRate: 20, thresholdBurnRate: 14.4, firing: true, clear: false });
    // 6 h: 1,200 bad of 360,000 = 1/300 → 3.33×, under 6×.
    expect(slow!.longBurnRate).toBeCloseTo(10 / 3, 12);
    expect(slow!.firing).toBe(false);
    expect(day!.longBurnRate).toBeCloseTo(1200 / 1_440_000 / 0.001, 12);
    expect(threeDays!.firing).toBe(false);
    expect(result.firingSeverity).toBe("page");
    expect(result.minutesSinceLastData).toBe(0);
  });

  it("a spike that ended 10 minutes ago no longer fires the 1 h / 5 m pair: its short window is quiet", () => {
    const result = run([...steady({ fromAgo: 59, toAgo: 10, perMinute: 1000, badPerMinute: 50 }), ...steady({ fromAgo: 9, toAgo: 0, perMinute: 1000, badPerMinute: 0 })]);
    expect(result.rules[0]).toMatchObject({ shortBurnRate: 0, firing: false, clear: false });
    expect(result.rules[0]!.longBurnRate).toBeCloseTo(2500 / 60_000 / 0.001, 9);
    // The 30 m window still holds 20 spike minutes: 1,000 bad of 30,000 = 33.3× ≥ 6, so the 6 h / 30 m pair still pages.
    expect(result.rules[1]!.shortBurnRate).toBeCloseTo(1000 / 30_000 / 0.001, 9);
    expect(result.rules[1]!.firing).toBe(true);
  });

  it.each([
    ["59 minutes ago is inside 1 h", 59, 1],
    ["60 minutes ago is outside 1 h", 60, 0],
    ["4 minutes ago is inside 5 m", 4, 1],
  ] as const)("window edge: %s", (_label, minutesAgo, badInHour) => {
    const windows = burnRatesOverWindows({ rollups: [ago(minutesAgo, 0, 1), ago(1000, 1, 1)], objective: objective("99.9"), windowMinutes: [60, 5], now: NOW });
    const hour = windows.find((w) => w.windowMinutes === 60)!;
    expect(hour.total - hour.good).toBe(badInHour);
  });

  it("no data: every burn rate null, nothing fires, nothing clears", () => {
    const result = run([]);
    expect(result.windows.every((w) => w.burnRate === null)).toBe(true);
    expect(result.rules.every((r) => !r.firing && r.clear)).toBe(true);
    expect(result.firingSeverity).toBeNull();
    expect(result.minutesSinceLastData).toBeNull();
  });

  it("ticket only when the slow pairs fire", () => {
    // 0.4 % errors for 3 days: 4× everywhere: ticket (3× over 1 d and 2 h), not page.
    const result = run(steady({ fromAgo: 4319, toAgo: 0, perMinute: 1000, badPerMinute: 4 }));
    expect(result.rules.map((r) => r.firing)).toEqual([false, false, true, true]);
    expect(result.firingSeverity).toBe("ticket");
  });

  it("reports minutes since the last data", () => {
    expect(run([ago(75, 1, 1), ago(200, 1, 1)]).minutesSinceLastData).toBe(75);
  });
});

describe("properties (seeded)", () => {
  it("prefix-sum windows equal naive sums and are never NaN or Infinity", () => {
    const random = seededRandom(99);
    const windowMinutes = [5, 30, 60, 120, 360, 1440, 4320];
    for (let trial = 0; trial < 30; trial++) {
      const rollups: MinuteRollup[] = [];
      for (let m = 0; m < 4400; m++) {
        if (random() < 0.5) continue;
        const total = random() < 0.05 ? 0 : Math.floor(random() * 100);
        rollups.push(ago(m, Math.floor(total * random()), total));
      }
      const windows = burnRatesOverWindows({ rollups, objective: objective("99.95"), windowMinutes, now: NOW });
      for (const w of windows) {
        const inside = rollups.filter((r) => NOW_MINUTE - r.minuteUnix / 60 < w.windowMinutes);
        const good = inside.reduce((s, r) => s + r.good, 0);
        const total = inside.reduce((s, r) => s + r.total, 0);
        expect([w.good, w.total]).toEqual([good, total]);
        if (total === 0) expect(w.burnRate).toBeNull();
        else expect(Number.isFinite(w.burnRate)).toBe(true);
        expect(w.burnRate === null || w.burnRate >= 0).toBe(true);
      }
    }
  });

  it("fractional counts (Prometheus increases) never push the burn rate below 0", () => {
    const rollups = Array.from({ length: 500 }, (_, m) => ago(m, 0.1 * 3, 0.3));
    const [window] = burnRatesOverWindows({ rollups, objective: objective("99.9"), windowMinutes: [360], now: NOW });
    expect(window!.burnRate).toBe(0);
  });
});
