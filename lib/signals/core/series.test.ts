import { describe, expect, it } from "vitest";
import {
  countPerMinuteToRatePerS,
  ewma,
  latestValue,
  meanOf,
  minuteOf,
  quantile,
  rollingMean,
  slopePerMinute,
  windowEndingAt,
} from "./series";
import type { MinutePoint } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
/** Builds a series starting at T0, one value per minute. */
const s = (...values: (number | null)[]): MinutePoint[] => values.map((value, i) => ({ minuteUnix: T0 + i * 60, value }));

describe("minuteOf", () => {
  it.each([
    [T0 * 1000, T0],
    [T0 * 1000 + 59_999, T0],
    [T0 * 1000 + 60_000, T0 + 60],
  ])("%d ms → minute %d", (ms, minute) => expect(minuteOf(new Date(ms))).toBe(minute));
});

describe("meanOf / latestValue / rate", () => {
  it.each([
    { points: s(1, 2, 3), mean: 2, latest: 3 },
    { points: s(1, null, 3), mean: 2, latest: 3 }, // a gap is skipped, not a zero
    { points: s(4, 8, null), mean: 6, latest: 8 },
    { points: s(null, null), mean: null, latest: null },
    { points: s(), mean: null, latest: null },
  ])("mean $mean, latest $latest", ({ points, mean, latest }) => {
    expect(meanOf(points)).toBe(mean);
    expect(latestValue(points)).toBe(latest);
  });

  it("turns counts per minute into a rate per second", () => {
    expect(countPerMinuteToRatePerS(s(600, null, 1200))).toBe(15); // mean 900/min = 15/s
    expect(countPerMinuteToRatePerS(s(null))).toBeNull();
  });
});

describe("slopePerMinute", () => {
  it.each([
    { name: "flat", points: s(5, 5, 5), slope: 0 },
    { name: "+10 per minute", points: s(0, 10, 20, 30), slope: 10 },
    { name: "gap keeps the real x", points: s(0, null, 20, 30), slope: 10 },
    { name: "falling", points: s(30, 20, 10), slope: -10 },
    { name: "one point", points: s(null, 3), slope: null },
    { name: "no points", points: s(), slope: null },
  ])("$name", ({ points, slope }) => {
    const got = slopePerMinute(points);
    if (slope === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(slope, 9);
  });
});

describe("windows", () => {
  it("takes the last N minutes including the end minute", () => {
    const w = windowEndingAt(s(1, 2, 3, 4, 5), T0 + 4 * 60, 3);
    expect(w.map((p) => p.value)).toEqual([3, 4, 5]);
  });

  it("rolling mean skips gaps and stays null where the window is empty", () => {
    expect(rollingMean(s(2, null, 4, null, null), 2).map((p) => p.value)).toEqual([2, 2, 4, 4, null]);
  });
});

describe("ewma", () => {
  it("moves half way after one half-life and keeps gaps null", () => {
    const out = ewma(s(0, 100, null), 1).map((p) => p.value);
    expect(out).toEqual([0, 50, null]);
  });

  it("counts a gap as elapsed time: two minutes later moves three quarters", () => {
    expect(ewma(s(0, null, 100), 1).map((p) => p.value)).toEqual([0, null, 75]);
  });
});

describe("quantile", () => {
  it.each([
    { values: [1, 2, 3, 4, 5], q: 0.5, want: 3 },
    { values: [5, 1, 4, 2], q: 0.5, want: 3 }, // between 2 and 4
    { values: [0, 10], q: 0.9, want: 9 },
    { values: [7], q: 0.99, want: 7 },
    { values: [], q: 0.5, want: null },
  ])("q$q of $values = $want", ({ values, q, want }) => expect(quantile(values, q)).toBe(want));
});
