import { describe, expect, it } from "vitest";
import { type AttemptSample, retryIntervalStats } from "./retry-intervals";

/** One job whose attempts start at the given ms offsets, each lasting `durationMs`. */
const job = (jobId: string, startsMs: number[], durationMs = 0): AttemptSample[] =>
  startsMs.map((startedAtMs, i) => ({ jobId, attempt: i + 1, startedAtMs, endedAtMs: startedAtMs + durationMs }));

describe("retryIntervalStats", () => {
  it.each([
    { note: "no retries", samples: job("a", [0]), retries: 0, median: null, min: null, share: null },
    { note: "immediate retries", samples: job("a", [0, 10, 20, 30], 10), retries: 3, median: 0, min: 0, share: 0 },
    { note: "exponential 100/200/400 ms", samples: job("a", [0, 100, 300, 700]), retries: 3, median: 200, min: 100, share: 1 },
    { note: "fixed 1 s delay never grows", samples: job("a", [0, 1000, 2000, 3000]), retries: 3, median: 1000, min: 1000, share: 0 },
    { note: "two jobs pooled: delays 50,50 and 100", samples: [...job("a", [0, 50, 100]), ...job("b", [0, 100])], retries: 3, median: 50, min: 50, share: 0 },
    { note: "out-of-order samples are sorted by attempt", samples: job("a", [0, 100, 300]).reverse(), retries: 2, median: 150, min: 100, share: 1 },
  ])("$note", ({ samples, retries, median, min, share }) => {
    const got = retryIntervalStats(samples, { backoffGrowthRatio: 1.5 });
    expect(got).toMatchObject({ retries, medianDelayMs: median, minDelayMs: min, backoffGrowingShare: share });
  });

  it("lists the jobs with the most attempts as examples", () => {
    const samples = [...job("few", [0, 1]), ...job("many", [0, 1, 2, 3]), ...job("once", [0])];
    expect(retryIntervalStats(samples, { backoffGrowthRatio: 1.5 }).exampleJobIds).toEqual(["many", "few"]);
  });
});
