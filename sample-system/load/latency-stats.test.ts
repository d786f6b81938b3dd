import { describe, expect, it } from "vitest";
import { percentile, summariseRun } from "./latency-stats";

describe("percentile", () => {
  it.each([
    [[], 99, null],
    [[5], 99, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
  ])("%j p%d = %s", (xs, p, expected) => {
    expect(percentile(xs, p)).toBe(expected);
  });
});

describe("summariseRun", () => {
  it("counts non-2xx, unanswered and client-side drops as failures", () => {
    const s = summariseRun(
      [
        { startedAtMs: 0, latencyMs: 10, status: 202 },
        { startedAtMs: 1, latencyMs: 20, status: 202 },
        { startedAtMs: 2, latencyMs: 30, status: 503 },
        { startedAtMs: 3, latencyMs: 5000, status: 0 },
      ],
      { durationMs: 2000, droppedClientSide: 1 },
    );
    expect(s).toMatchObject({ offered: 5, succeeded: 2, failed: 3, failureRatio: 0.6, stableRps: 1, p99Ms: 5000 });
    expect(s.byStatus).toEqual({ "202": 2, "503": 1, "0": 1, dropped: 1 });
  });
});

describe("stable RPS within the load window", () => {
  it("leaves out answers that arrive after the window", () => {
    const s = summariseRun(
      [
        { startedAtMs: 1000, latencyMs: 100, status: 200 },
        { startedAtMs: 1500, latencyMs: 400, status: 200 }, // completes at 1900: inside
        { startedAtMs: 1800, latencyMs: 500, status: 200 }, // completes at 2300: after the window
      ],
      { durationMs: 1000, windowStartMs: 1000 },
    );
    expect(s.stableRps).toBe(2);
    expect(s.succeeded).toBe(3);
  });
});
