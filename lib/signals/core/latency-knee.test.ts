import { describe, expect, it } from "vitest";
import { detectLatencyKnee } from "./latency-knee";
import type { MinutePoint } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
const s = (...values: (number | null)[]): MinutePoint[] => values.map((value, i) => ({ minuteUnix: T0 + i * 60, value }));
const opts = { recentMinutes: 2, baselineMinutes: 3, minPresentMinutes: 2, minP99RiseRatio: 0.5, elasticity: 3, endMinuteUnix: T0 + 4 * 60 };

describe("detectLatencyKnee", () => {
  it.each([
    // baseline = minutes 0..2, recent = minutes 3..4
    { note: "p99 ×2.2 at flat throughput", p99: s(100, 100, 100, 220, 220), tp: s(60, 60, 60, 60, 60), knee: true, rise: 1.2 },
    { note: "p99 ×2 while throughput fell", p99: s(100, 100, 100, 200, 200), tp: s(60, 60, 60, 50, 50), knee: true, rise: 1 },
    { note: "p99 +60 % for throughput +10 %", p99: s(100, 100, 100, 160, 160), tp: s(60, 60, 60, 66, 66), knee: true, rise: 0.6 },
    { note: "p99 +60 % for throughput +50 %: load, not a knee", p99: s(100, 100, 100, 160, 160), tp: s(60, 60, 60, 90, 90), knee: false, rise: 0 },
    { note: "p99 +20 %: below the minimum rise", p99: s(100, 100, 100, 120, 120), tp: s(60, 60, 60, 60, 60), knee: false, rise: 0 },
    { note: "one slow minute is not sustained", p99: s(100, 100, 100, 100, 300), tp: s(60, 60, 60, 60, 60), knee: false, rise: 0 },
    { note: "too few minutes of p99", p99: s(100, null, null, 300, 300), tp: s(60, 60, 60, 60, 60), knee: false, rise: 0 },
  ])("$note", ({ p99, tp, knee, rise }) => {
    const got = detectLatencyKnee({ ...opts, latencyP99: p99, throughput: tp });
    expect(got !== null).toBe(knee);
    if (got) expect(got.p99RiseRatio).toBeCloseTo(rise, 9);
  });

  it("reports d(p99)/d(throughput): +60 ms for +6/min is 10 ms per unit", () => {
    const got = detectLatencyKnee({ ...opts, latencyP99: s(100, 100, 100, 160, 160), throughput: s(60, 60, 60, 66, 66) });
    expect(got?.p99PerThroughput).toBeCloseTo(10, 9);
  });
});
