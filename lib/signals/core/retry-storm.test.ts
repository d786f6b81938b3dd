import { describe, expect, it } from "vitest";
import type { AttemptSample } from "./retry-intervals";
import { detectRetryStorm, type RetryStormInput } from "./retry-storm";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { NamedSeries } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
/** Minutes 0..29 are the baseline, 30..34 the recent window; `now` is 5 s into minute 35. */
const NOW = new Date((T0 + 35 * 60 + 5) * 1000);
const named = (name: string, values: (number | null)[]): NamedSeries => ({ name, points: values.map((value, i) => ({ minuteUnix: T0 + i * 60, value })) });
/** 30 baseline minutes at `base`, then the 5 recent values (one value repeats). */
const two = (base: number | null, recent: number | null | (number | null)[]) => [
  ...Array<number | null>(30).fill(base),
  ...(Array.isArray(recent) ? recent : Array<number | null>(5).fill(recent)),
];
/** Jobs retried at the given delays after each failed attempt (attempts take 50 ms). */
const jobsWithDelays = (count: number, delaysMs: number[]): AttemptSample[] =>
  Array.from({ length: count }, (_, j) => {
    let at = j * 10_000;
    return [0, ...delaysMs].map((delay, i) => {
      at += delay + (i > 0 ? 50 : 0);
      return { jobId: `job-${j}`, attempt: i + 1, startedAtMs: at, endedAtMs: at + 50 };
    });
  }).flat();

type Row = Partial<Record<"original" | "downstream" | "errors" | "success" | "attempts" | "delayP50" | "dlq", (number | null)[]>> & { samples?: AttemptSample[] };
function input(r: Row): RetryStormInput {
  return {
    caller: "worker",
    dependency: "inference",
    originalRequests: named("jobs.accepted", r.original ?? two(6000, 6000)), // 100/s
    downstreamRequests: named("inference.requests", r.downstream ?? two(6060, 6060)),
    callerErrorRatio: named("worker.error_ratio", r.errors ?? two(0.01, 0.01)),
    successfulThroughput: named("jobs.succeeded", r.success ?? two(5940, 5940)),
    attemptsPerJob: named("job.attempts.mean", r.attempts ?? two(1.01, 1.01)),
    retryDelayMsP50: named("retry.delay.p50", r.delayP50 ?? two(400, 400)),
    ...(r.dlq ? { dlqDepth: named("dlq.depth", r.dlq) } : {}),
    ...(r.samples ? { attemptSamples: r.samples } : {}),
    now: NOW,
    // The table was written for five-minute windows (figures in the summaries depend on it).
    thresholds: { ...DEFAULT_THRESHOLDS.retryStorm, windowMinutes: 5 },
  };
}

describe("detectRetryStorm", () => {
  it.each([
    { note: "healthy: exponential backoff, 1 % errors", row: { samples: jobsWithDelays(20, [100, 200, 400]) }, want: null },
    { note: "immediate retries but only 5 % extra load", row: { downstream: two(6060, 6300), attempts: two(1.01, 1.05), delayP50: two(0, 0) }, want: null },
    { note: "a one-minute burst that already stopped", row: { downstream: two(6060, [6060, 6060, 6060, 25_200, 6060]), attempts: two(1.01, [1.01, 1.01, 1.01, 4.2, 1.01]), delayP50: two(0, 0) }, want: null },
    { note: "quiet caller: 5 jobs a minute", row: { original: two(5, 5), downstream: two(5, 50), delayP50: two(0, 0) }, want: null },
    { note: "downstream has one present minute: no verdict", row: { downstream: two(6060, [null, null, null, null, 25_200]), delayP50: two(0, 0) }, want: null },
    {
      note: "0 ms retries into a failing dependency: the storm",
      row: { downstream: two(6060, 25_200), errors: two(0.01, 0.62), success: two(5940, 2280), attempts: two(1.01, 3.8), delayP50: two(0, 0), dlq: two(0, [0, 120, 240, 360, 480]) },
      want: {
        severity: "critical",
        codes: ["amplification", "attempts_rising", "no_backoff", "paradox", "dlq_growth"],
        summary: "retry storm: `worker` retrying `inference` with no backoff (median retry delay 0 ms): 4.2× amplification (downstream 420/s for 100/s original), 3.8 attempts per job, error rate 62% (was 1%), downstream load rising while successes stay flat, DLQ +120/min",
      },
    },
    {
      note: "dependency down, retries back off: amplification 2× with the paradox is a warning",
      row: { downstream: two(6060, 12_000), errors: two(0.01, 0.5), success: two(5940, 3000), attempts: two(1.01, 2), samples: jobsWithDelays(20, [100, 200, 400]) },
      want: {
        severity: "warning",
        codes: ["amplification", "attempts_rising", "paradox"],
        summary: "retry storm: `worker` retrying `inference`: 2× amplification (downstream 200/s for 100/s original), 2 attempts per job, error rate 50% (was 1%), downstream load rising while successes stay flat",
      },
    },
    {
      note: "fixed 1 s retries that never grow, a long-running 2.5× load",
      row: { downstream: two(15_000, 15_000), attempts: two(2.5, 2.5), errors: two(0.3, 0.3), success: two(4200, 4200), samples: jobsWithDelays(10, [1000, 1000, 1000]) },
      want: {
        severity: "warning",
        codes: ["amplification", "no_backoff"],
        summary: "retry storm: `worker` retrying `inference` with no backoff (median retry delay 1 s, 0% of delays growing): 2.5× amplification (downstream 250/s for 100/s original), 2.5 attempts per job, error rate 30%",
      },
    },
    {
      note: "DLQ filling at a steady 1.6× load with backoff (attempts flat, so not rising)",
      row: { downstream: two(9600, 9600), attempts: two(1.6, 1.6), errors: two(0.05, 0.05), dlq: two(100, [100, 110, 120, 130, 140]) },
      want: { severity: "warning", codes: ["amplification", "dlq_growth"], summary: "retry storm: `worker` retrying `inference`: 1.6× amplification (downstream 160/s for 100/s original), 1.6 attempts per job, error rate 5%, DLQ +10/min" },
    },
  ])("$note", ({ row, want }) => {
    const got = detectRetryStorm(input(row));
    if (want === null) return expect(got).toBeNull();
    expect(got?.severity).toBe(want.severity);
    expect(got?.reasonCodes).toEqual(want.codes);
    expect(got?.summary).toBe(want.summary);
    expect(got?.resource).toBe("worker->inference");
  });

  it("names the evidence series and example jobs", () => {
    const got = detectRetryStorm(input({ downstream: two(6060, 25_200), attempts: two(1.01, 3.8), samples: jobsWithDelays(3, [0, 0, 0]) }));
    expect(got?.evidence.series).toEqual(["jobs.accepted", "inference.requests", "job.attempts.mean", "retry.delay.p50"]);
    expect(got?.evidence.exampleJobIds).toEqual(["job-0", "job-1", "job-2"]);
    expect(got?.evidence.figures.amplification).toBeCloseTo(4.2, 9);
    expect(got?.evidence.figures.medianRetryDelayMs).toBe(0);
  });
});

describe("detectRetryStorm on the newest seconds", () => {
  // The default two-minute window: the storm began 20 s before the evaluation end.
  const withNewest = (newest: RetryStormInput["newest"], newestMinute: number) =>
    detectRetryStorm({
      ...input({
        // The newest minute holds 20 s of 2.4 calls per job; the window mean is lower still.
        original: two(6000, [6000, 6000, 6000, 6000, 6000]),
        downstream: two(6060, [6060, 6060, 6060, 6060, newestMinute]),
        errors: two(0.01, [0.01, 0.01, 0.01, 0.01, 0.3]),
        samples: jobsWithDelays(5, [5, 5]),
      }),
      newest,
      thresholds: DEFAULT_THRESHOLDS.retryStorm,
    });

  it("sees a storm 20 s old: the newest 30 s over the limit, the newest minute halfway", () => {
    expect(withNewest({ seconds: 30, originalRequests: 3000, downstreamRequests: 6200, attempts: 3000, firstAttempts: 3000 }, 8_500)).toMatchObject({ kind: "retry_storm", reasonCodes: expect.arrayContaining(["amplification"]) });
  });

  it("waits for the newest minute to be halfway there, and ignores quiet newest seconds", () => {
    expect(withNewest({ seconds: 30, originalRequests: 3000, downstreamRequests: 6200, attempts: 3000, firstAttempts: 3000 }, 6_500)).toBeNull();
    expect(withNewest({ seconds: 30, originalRequests: 2, downstreamRequests: 10, attempts: 2, firstAttempts: 2 }, 6_500)).toBeNull();
    // Without the newest seconds, the minute-based rule wants the two-minute mean halfway too.
    expect(withNewest(undefined, 8_500)).toBeNull();
  });
});
