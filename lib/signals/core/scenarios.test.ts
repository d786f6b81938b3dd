// End-to-end synthetic runs: detector → signal-state minute by minute, with seeded noise.
import { describe, expect, it } from "vitest";
import { detectRetryStorm } from "./retry-storm";
import { detectSaturation } from "./saturation";
import { applySignalTransition, type SignalEvent, type SignalState } from "./signal-state";
import { simulateQueue, simulateRetryTraffic } from "../../../tests/fixtures/detect-synthetic";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { SignalCandidate } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
/** Evaluation after minute m has closed: 5 s into minute m + 1. */
const nowAfter = (m: number) => new Date((T0 + (m + 1) * 60 + 5) * 1000);

/** Runs one detector every 20 s for `minutes` minutes and returns the events with the minute they fired. */
function runSignals(minutes: number, detect: (now: Date) => SignalCandidate | null) {
  let state: SignalState | null = null;
  const events: (SignalEvent & { minute: number })[] = [];
  for (let m = 0; m < minutes; m++) {
    for (const offsetS of [5, 25, 45]) {
      const now = new Date((T0 + (m + 1) * 60 + offsetS) * 1000);
      const out = applySignalTransition({ prev: state, candidate: detect(now), now, hysteresis: DEFAULT_THRESHOLDS.hysteresis });
      state = out.state;
      events.push(...out.events.map((e) => ({ ...e, minute: m })));
    }
  }
  return events;
}

// 10 workers × 1 slot × 1000/200 ms = 50 jobs/s of capacity.
const queueBase = { startMinuteUnix: T0, serviceTimeMs: 200, slotsPerWorker: 1 };
function saturationRun(sim: ReturnType<typeof simulateQueue>, minutes: number) {
  return runSignals(minutes, (now) =>
    detectSaturation({ queue: "jobs", ...sim, slotsPerWorker: 1, sloThresholdMs: 300_000, now, thresholds: DEFAULT_THRESHOLDS.saturation }),
  );
}

describe("saturation scenarios", () => {
  it.each([1, 2, 3, 4, 5])("steady load at 70 pct of capacity, noisy, 10 hours: nothing opens (seed %i)", (seed) => {
    const sim = simulateQueue({ ...queueBase, minutes: 600, seed, arrivalRatePerS: () => 35, workers: () => 10 });
    expect(saturationRun(sim, 600)).toEqual([]);
  });

  it("steady load with missing minutes opens nothing", () => {
    const gapMinutes = new Set([10, 11, 12, 50, 97, 98, 99, 100, 101, 150]);
    const sim = simulateQueue({ ...queueBase, minutes: 200, seed: 7, arrivalRatePerS: () => 35, workers: () => 10, gapMinutes });
    expect(saturationRun(sim, 200)).toEqual([]);
  });

  it("a one-minute 2× spike that drains by itself opens nothing", () => {
    const sim = simulateQueue({ ...queueBase, minutes: 120, seed: 11, arrivalRatePerS: (m) => (m === 60 ? 70 : 35), workers: () => 10 });
    expect(saturationRun(sim, 120)).toEqual([]);
  });

  it("a slow ramp that stays below 90 pct of capacity (35/s → 44/s over 45 min) opens nothing", () => {
    const sim = simulateQueue({ ...queueBase, minutes: 180, seed: 13, arrivalRatePerS: (m) => 35 + Math.min(9, Math.max(0, (m - 60) / 5)), workers: () => 10 });
    expect(saturationRun(sim, 180)).toEqual([]);
  });

  it("a slow ramp past capacity (35/s → 60/s over 100 min) warns near 95 pct busy, then turns critical", () => {
    // Arrivals reach 47.5/s (95 % busy) at minute 110 and 50/s at minute 120; the backlog then grows ≤ 10/s
    // toward the 50 · 300 = 15,000 jobs that break the 5-minute SLO.
    const sim = simulateQueue({ ...queueBase, minutes: 180, seed: 17, arrivalRatePerS: (m) => 35 + Math.min(25, Math.max(0, (m - 60) / 4)), workers: () => 10 });
    const events = saturationRun(sim, 180);
    expect(events[0]).toMatchObject({ type: "opened", severity: "warning" });
    expect(events[0]?.minute).toBeGreaterThanOrEqual(105);
    expect(events[0]?.minute).toBeLessThanOrEqual(122);
    expect(events[0]?.summary).toMatch(/workers 9\d% busy/);
    const critical = events.find((e) => e.severity === "critical");
    expect(critical?.summary).toMatch(/arrival \d+\/s > service \d+\/s/);
    expect(critical?.minute).toBeLessThan(160);
    expect(events.filter((e) => e.type === "opened")).toHaveLength(1);
  });

  it("saturation with missing minutes is still found", () => {
    const gapMinutes = new Set([66, 70, 71]);
    const sim = simulateQueue({ ...queueBase, minutes: 100, seed: 19, arrivalRatePerS: (m) => (m < 60 ? 35 : 65), workers: () => 10, gapMinutes });
    const opened = saturationRun(sim, 100).find((e) => e.type === "opened");
    expect(opened?.minute).toBeGreaterThanOrEqual(60);
    expect(opened?.minute).toBeLessThanOrEqual(64);
  });

  it("a ramp past capacity opens within a few minutes and resolves after recovery", () => {
    // 35/s until minute 60, then +3/s a minute up to 65/s (capacity 50/s is crossed at minute 65), held
    // until minute 100; then 15 workers (75/s) and 35/s arrivals drain the backlog.
    const arrival = (m: number) => (m < 60 ? 35 : m < 100 ? Math.min(65, 35 + 3 * (m - 59)) : 35);
    const sim = simulateQueue({ ...queueBase, minutes: 180, seed: 3, arrivalRatePerS: arrival, workers: (m) => (m < 100 ? 10 : 15) });
    const events = saturationRun(sim, 180);
    const opened = events.find((e) => e.type === "opened");
    const resolved = events.find((e) => e.type === "resolved");
    expect(opened?.minute).toBeGreaterThanOrEqual(65);
    expect(opened?.minute).toBeLessThanOrEqual(70);
    expect(opened?.summary).toMatch(/^queue `jobs` saturating: arrival \d+\/s > service \d+\/s, backlog [\d,]+/);
    expect(events.some((e) => e.severity === "critical")).toBe(true);
    expect(resolved?.minute).toBeGreaterThan(100);
    expect(resolved?.minute).toBeLessThan(150);
    expect(events.filter((e) => e.type === "opened")).toHaveLength(1); // no flapping
  });
});

describe("retry-storm scenarios", () => {
  const base = { startMinuteUnix: T0, originalRatePerS: 100, maxAttempts: 5 };
  const storm = (traffic: ReturnType<typeof simulateRetryTraffic>, minutes: number) =>
    runSignals(minutes, (now) => detectRetryStorm({ caller: "worker", dependency: "inference", ...traffic, now, thresholds: DEFAULT_THRESHOLDS.retryStorm }));

  it.each([1, 2, 3])("exponential backoff at 1 to 2 pct errors, 10 hours: nothing opens (seed %i)", (seed) => {
    const traffic = simulateRetryTraffic({ ...base, seed, minutes: 600, failureRatio: (m) => 0.015 + 0.005 * Math.sin(m / 30), retryDelayMs: (k) => 100 * 2 ** k });
    expect(storm(traffic, 600)).toEqual([]);
  });

  it("a one-minute dependency blip under 0 ms retries opens nothing", () => {
    const traffic = simulateRetryTraffic({ ...base, seed: 9, minutes: 120, failureRatio: (m) => (m === 60 ? 0.9 : 0.01), retryDelayMs: () => 0 });
    expect(storm(traffic, 120)).toEqual([]);
  });

  it("0 ms retries into a dependency that starts failing open a critical signal within a few minutes", () => {
    const traffic = simulateRetryTraffic({ ...base, seed: 5, minutes: 120, failureRatio: (m) => (m < 60 ? 0.01 : m < 90 ? 0.7 : 0.01), retryDelayMs: () => 0 });
    const events = storm(traffic, 120);
    const opened = events.find((e) => e.type === "opened");
    expect(opened?.minute).toBeGreaterThanOrEqual(60);
    expect(opened?.minute).toBeLessThanOrEqual(63);
    expect(opened?.severity).toBe("critical");
    expect(opened?.resource).toBe("worker->inference");
    expect(opened?.summary).toContain("with no backoff (median retry delay 0 ms)");
    expect(events.find((e) => e.type === "resolved")?.minute).toBeGreaterThan(90);
  });
});
