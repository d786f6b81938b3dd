import { describe, expect, it } from "vitest";
import { detectSaturation, type SaturationInput } from "./saturation";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { NamedSeries } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
/** `now` is 10 s into minute 6, so minutes 0..5 are complete; rates use 3..5, trends 1..5. */
const NOW = new Date((T0 + 6 * 60 + 10) * 1000);
const named = (name: string, values: (number | null)[]): NamedSeries => ({
  name,
  points: values.map((value, i) => ({ minuteUnix: T0 + i * 60, value })),
});
const flat = (v: number | null) => [v, v, v, v, v, v];

function input(o: Partial<Record<"arrivals" | "completions" | "backlog" | "utilisation" | "poolWaitMs" | "latencyP99", (number | null)[]>> & { sloThresholdMs?: number }): SaturationInput {
  return {
    queue: "jobs",
    arrivals: named("arrivals", o.arrivals ?? flat(3600)),
    completions: named("completions", o.completions ?? flat(3600)),
    backlog: named("backlog", o.backlog ?? flat(0)),
    serviceTimeMs: named("service_time", flat(200)), // 5 jobs/s per worker
    workers: named("workers", flat(12)),
    slotsPerWorker: 1,
    ...(o.utilisation ? { utilisation: named("utilisation", o.utilisation) } : {}),
    ...(o.poolWaitMs ? { poolWaitMs: named("pool_wait", o.poolWaitMs) } : {}),
    ...(o.latencyP99 ? { latencyP99: named("p99", o.latencyP99) } : {}),
    ...(o.sloThresholdMs !== undefined ? { sloThresholdMs: o.sloThresholdMs } : {}),
    now: NOW,
    thresholds: DEFAULT_THRESHOLDS.saturation,
  };
}

const RAMP = [0, 0, 1025, 2050, 3075, 4100]; // +1025 per minute

describe("detectSaturation", () => {
  it.each([
    { note: "steady: arrivals = completions, no backlog", o: {}, want: null },
    { note: "arrivals 3 % over completions: inside the noise margin", o: { arrivals: flat(3700), backlog: [0, 0, 10, 20, 30, 40] }, want: null },
    { note: "arrivals over completions but backlog flat below the minimum", o: { arrivals: flat(5100), backlog: flat(20) }, want: null },
    { note: "arrivals over completions but the newest minute drained the backlog: a burst being absorbed", o: { arrivals: flat(5100), backlog: [0, 0, 1000, 2000, 3000, 2900] }, want: null },
    { note: "one present minute of arrivals: no verdict", o: { arrivals: [5100, 5100, 5100, null, null, 5100], backlog: RAMP }, want: null },
    {
      note: "the architecture example: 85/s in, 60/s out, backlog 4,100",
      // W = 4100/60 = 68 s; breach backlog 60·299.8 = 17,988; (17988 − 4100) / (1025/60) = 813 s ≈ 14 min ≤ 15 → critical.
      // workers: max((85 + 4100/600)/5, 85/(5·0.8)) = max(18.4, 21.25) → 22, i.e. 10 more than 12.
      o: { arrivals: flat(5100), completions: flat(3600), backlog: RAMP, sloThresholdMs: 300_000 },
      want: { severity: "critical", codes: ["backlog_growth"], summary: "queue `jobs` saturating: arrival 85/s > service 60/s, backlog 4,100, breach of the 5-minute completion SLO in ~14 min; 10 more workers would drain it in 10 min" },
    },
    {
      note: "same growth without an SLO to forecast: warning",
      o: { arrivals: flat(5100), completions: flat(3600), backlog: RAMP },
      want: { severity: "warning", codes: ["backlog_growth"], summary: "queue `jobs` saturating: arrival 85/s > service 60/s, backlog 4,100; 10 more workers would drain it in 10 min" },
    },
    {
      note: "workers stalled: nothing completes (no capacity advice: more stuck workers do not help)",
      o: { arrivals: flat(3000), completions: flat(0), backlog: [0, 3000, 6000, 9000, 12000, 15000], sloThresholdMs: 300_000 },
      want: { severity: "critical", codes: ["no_completions", "wait_over_slo"], summary: "queue `jobs` saturating: arrival 50/s but nothing completes, backlog 15,000, new jobs already miss the 5-minute completion SLO" },
    },
    {
      note: "backlog stuck at 20,000 while in = out: wait 333 s is over half the 300 s SLO",
      // workers: (60 + 20000/600) / 5 = 18.7 → 19, i.e. 7 more than 12.
      o: { backlog: flat(20_000), sloThresholdMs: 300_000 },
      want: { severity: "critical", codes: ["wait_over_slo"], summary: "queue `jobs` saturating: backlog 20,000 at 60/s served, new jobs already miss the 5-minute completion SLO; 7 more workers would drain it in 10 min" },
    },
    {
      note: "GPUs 97 % busy, queue keeping up",
      o: { utilisation: flat(0.97) },
      want: { severity: "warning", codes: ["utilisation_high"], summary: "queue `jobs` saturating: workers 97% busy; 3 more workers would restore headroom" },
    },
    { note: "GPUs 90 % busy: below 95 %", o: { utilisation: flat(0.9) }, want: null },
    {
      note: "DB pool wait 240 ms",
      o: { poolWaitMs: flat(240) },
      want: { severity: "warning", codes: ["pool_wait_high"], summary: "queue `jobs` saturating: pool wait 240 ms; 3 more workers would restore headroom" },
    },
    {
      note: "p99 doubles at flat throughput: the knee",
      o: { latencyP99: [400, 400, 400, 800, 800, 800] },
      want: { severity: "warning", codes: ["latency_knee"], summary: "queue `jobs` saturating: latency knee: p99 +100% for throughput +0%; 3 more workers would restore headroom" },
    },
  ])("$note", ({ o, want }) => {
    const got = detectSaturation(input(o));
    if (want === null) return expect(got).toBeNull();
    expect(got).not.toBeNull();
    expect(got?.severity).toBe(want.severity);
    expect(got?.reasonCodes).toEqual(want.codes);
    expect(got?.summary).toBe(want.summary);
    expect(got?.resource).toBe("jobs");
  });

  it("keeps the evidence: series names and the figures behind the summary", () => {
    const got = detectSaturation(input({ arrivals: flat(5100), completions: flat(3600), backlog: RAMP, sloThresholdMs: 300_000 }));
    expect(got?.evidence.series).toEqual(["arrivals", "completions", "backlog"]);
    expect(got?.evidence.figures).toMatchObject({ arrivalRatePerS: 85, completionRatePerS: 60, backlog: 4100, backlogSlopePerMinute: 1025, workers: 12, workersNeeded: 22 });
    expect(got?.evidence.figures.expectedWaitS).toBeCloseTo(4100 / 60, 6);
    expect(got?.evidence.figures.timeToBreachS).toBeCloseTo((17_988 - 4100) / (1025 / 60), 6);
  });

  it("ignores the minute still filling up at `now`", () => {
    const o = input({});
    o.arrivals.points.push({ minuteUnix: T0 + 6 * 60, value: 99_999 });
    expect(detectSaturation(o)).toBeNull();
  });
});
