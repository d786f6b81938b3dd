// Retry storms between HTTP services without job IDs: `edge` serves requests (SERVER spans) and calls `pricing`
// (CLIENT spans, resends marked by http.request.resend_count), judged per request from the flow rollups alone.
import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { detectRetryStorm } from "./retry-storm";
import { retryStormBasis, retryStormInputs } from "./retry-storm-input";
import { ThresholdConfigSchema } from "./thresholds";
import { HISTORY_MINUTES, indexWindows } from "./window-index";

const END = 1_800_000_030;
const thresholds = ThresholdConfigSchema.parse({});

/** One 10-s bucket's traffic: requests served, first calls to `pricing`, resends, failed calls, failed requests. */
interface Bucket {
  requests: number;
  firstCalls: number;
  resends?: number;
  /** Resends a hand-rolled retry loop makes without marking them (no resend count): they count as calls only. */
  unmarked?: number;
  failedCalls?: number;
  failedRequests?: number;
  /** Gap (ms) measured before each resend, after the failed call it repeats; for `gapsMeasured` of them (all, if not said). */
  gapMs?: number;
  gapsMeasured?: number;
}

function flows(at: (secondsBeforeEnd: number) => Bucket): FlowRollup[] {
  const out: FlowRollup[] = [];
  for (let ago = 10; ago <= HISTORY_MINUTES * 60; ago += 10) {
    const b = at(ago);
    const base = { bucket: END - ago, service: "edge", durationSumNs: 0, missCount: 0 };
    out.push({ ...base, flow: "serve", target: "/quote", count: b.requests, errorCount: b.failedRequests ?? 0, retryCount: 0 });
    const resends = b.resends ?? 0;
    const measured = b.gapsMeasured ?? resends;
    const gaps = b.gapMs === undefined ? {} : { retryGapCount: measured, retryGapLogMsSum: measured * Math.log1p(b.gapMs) };
    out.push({ ...base, flow: "call", target: "pricing", count: b.firstCalls + resends + (b.unmarked ?? 0), errorCount: b.failedCalls ?? 0, retryCount: resends, ...gaps });
  }
  return out;
}

const detect = (at: (secondsBeforeEnd: number) => Bucket) => {
  const built = retryStormInputs(indexWindows({ endUnix: END, flows: flows(at), metrics: [] }), { thresholds, attemptSamples: {} });
  return built.map((b) => detectRetryStorm(b.input)).find((c) => c !== null) ?? null;
};

// 2 requests/s, 2 calls to pricing per request, nothing failing.
const healthy: Bucket = { requests: 20, firstCalls: 40 };
// pricing fails 80 % of calls; edge resends each failed call 2 ms later, up to 2 more times: every first call
// becomes 3 calls (40 first + 80 resends), 96 of 120 fail, and 13 of the 20 requests fail.
const storm: Bucket = { requests: 20, firstCalls: 40, resends: 80, failedCalls: 96, failedRequests: 13, gapMs: 2 };

describe("retry storms judged per request (no job IDs)", () => {
  it.each<{ note: string; at: (ago: number) => Bucket; want: null | { severity: string; codes: string[]; summary?: string } }>([
    {
      // Windows 0–1 are storm: 720 calls/min for 120 requests/min at 2 first calls each = 3× amplification;
      // 720 calls ÷ 240 first calls = 3 attempts per call (was 1); errors 13/20 = 65 % (was 0); successes 42/min (was 120).
      note: "the issue's scenario: resends into a failing dependency, several calls per request",
      at: (ago) => (ago <= 120 ? storm : healthy),
      want: {
        severity: "critical",
        codes: ["amplification", "attempts_rising", "no_backoff", "paradox"],
        summary: "retry storm: `edge` retrying `pricing` with no backoff (retried 2 ms after a failed call): 3× amplification (downstream 12/s for 2/s original at 2 first calls per request), 3 attempts per call, error rate 65% (was 0%), downstream load rising while successes stay flat",
      },
    },
    {
      // The same load with 400 ms between a failure and its resend: still a storm (the paradox), not a careless one.
      note: "resends that back off are not no_backoff",
      at: (ago) => (ago <= 120 ? { ...storm, gapMs: 400 } : healthy),
      want: { severity: "critical", codes: ["amplification", "attempts_rising", "paradox"] },
    },
    {
      // Too few measured gaps (2 in the two windows) say nothing about backoff.
      note: "backoff is not judged from fewer than 3 gaps",
      at: (ago) => (ago <= 120 ? { ...storm, gapsMeasured: ago === 10 ? 2 : 0 } : healthy),
      want: { severity: "critical", codes: ["amplification", "attempts_rising", "paradox"] },
    },
    {
      // Only the newest 30 s are storm: the newest seconds are over the limit (3×, 3 attempts) and window 0
      // holds 3 storm buckets of 6, (3 × 120 + 3 × 40) ÷ 120 requests ÷ 2 = 2× amplification: halfway there.
      // Critical: resent at once and the paradox together.
      note: "a storm 30 s old is seen from the newest seconds",
      at: (ago) => (ago <= 30 ? storm : healthy),
      want: { severity: "critical", codes: ["amplification", "attempts_rising", "no_backoff", "paradox"] },
    },
    {
      // A retry loop that marks nothing: calls per request go from 2 to 6, judged against the baseline's 2.
      note: "unmarked retries still show as amplification against the baseline fan-out",
      at: (ago) => (ago <= 120 ? { ...storm, resends: 0, unmarked: 80 } : healthy),
      want: { severity: "critical", codes: ["amplification", "paradox"] },
    },
    { note: "healthy fan-out: 3 calls per request, no retries, no errors", at: () => ({ requests: 20, firstCalls: 60 }), want: null },
    {
      // The fan-out is not amplification: 3 calls per request before and during, nothing resent.
      note: "an outage without retries: 3 calls per request, 90 % of them failing",
      at: (ago) => (ago <= 120 ? { requests: 20, firstCalls: 60, failedCalls: 54, failedRequests: 18 } : { requests: 20, firstCalls: 60 }),
      want: null,
    },
    {
      // 30 s of storm 70–100 s ago, then healthy: window 1 still holds it, but the newest 30 s are back to 1×.
      note: "a short spike that recovered",
      at: (ago) => (ago >= 70 && ago <= 90 ? storm : healthy),
      want: null,
    },
    {
      // 1 % of calls resent after a transient error, all along: attempts 1.01, errors flat.
      note: "steady occasional resends",
      at: () => ({ requests: 20, firstCalls: 100, resends: 1, failedCalls: 1 }),
      want: null,
    },
  ])("$note", ({ at, want }) => {
    const got = detect(at);
    if (want === null) return expect(got).toBeNull();
    expect(got?.resource).toBe("edge->pricing");
    expect(got?.severity).toBe(want.severity);
    expect(got?.reasonCodes).toEqual(want.codes);
    if (want.summary !== undefined) expect(got?.summary).toBe(want.summary);
  });

  it("builds the per-request input: served requests, calls, attempts per call and first calls per request", () => {
    const [built] = retryStormInputs(indexWindows({ endUnix: END, flows: flows((ago) => (ago <= 120 ? storm : healthy)), metrics: [] }), { thresholds, attemptSamples: {} });
    const last = (s: { points: { value: number | null }[] } | undefined) => s?.points.at(-1)?.value;
    expect(built?.input.basis).toBe("request");
    expect(last(built?.input.originalRequests)).toBe(120);
    expect(last(built?.input.downstreamRequests)).toBe(720);
    expect(last(built?.input.attemptsPerJob)).toBe(3);
    expect(last(built?.input.retries)).toBe(480);
    expect(last(built?.input.firstCallsPerRequest)).toBe(2);
    expect(last(built?.input.callerErrorRatio)).toBeCloseTo(0.65, 9);
    expect(built?.input.newest).toEqual({ seconds: 30, originalRequests: 60, downstreamRequests: 360, attempts: 360, firstAttempts: 120 });
    expect(built?.charts.map((c) => c.name)).toEqual([
      "edge original requests/min", "edge → pricing calls/min", "edge error ratio", "edge successes/min", "edge → pricing attempts per call",
      "edge → pricing retries/min", "edge dead-lettered (cumulative)", "edge → pricing error ratio", "edge → pricing first calls per request",
      "edge → pricing typical retry gap ms", "edge → pricing measured retry gaps/min",
    ]);
    expect(last(built?.input.retryGapMs)).toBeCloseTo(2, 9);
    expect(last(built?.input.measuredRetryGaps)).toBe(480);
  });
});

describe("retryStormBasis", () => {
  const index = indexWindows({
    endUnix: END,
    metrics: [],
    flows: [
      { bucket: END - 10, flow: "consume", service: "worker", target: "jobs", count: 5, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 },
      { bucket: END - 10, flow: "serve", service: "worker", target: "/health", count: 5, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 },
      { bucket: END - 10, flow: "serve", service: "edge", target: "", count: 5, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 },
      { bucket: END - 10, flow: "call", service: "cron", target: "pricing", count: 5, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 },
    ],
  });
  it.each([
    ["worker", "job"], // consumes a queue: judged per job, its health checks aside
    ["edge", "request"],
    ["cron", null], // calls, but neither consumes nor serves: no original load to compare with
  ])("%s → %s", (caller, want) => {
    expect(retryStormBasis(index, caller)).toBe(want);
  });
});
