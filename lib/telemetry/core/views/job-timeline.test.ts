import { describe, expect, it } from "vitest";
import { attemptOfSpans, jobAttempts, jobQueueWaits, layoutJobTimeline, type TimelineSpan } from "./job-timeline";

function span(spanId: string, parentSpanId: string | null, kind: string, start: number, end: number, over: Partial<TimelineSpan> = {}): TimelineSpan {
  return {
    traceId: "t1", spanId, parentSpanId, name: spanId, service: "svc", kind, statusCode: "UNSET", startTimeUnixNano: String(start), endTimeUnixNano: String(end),
    durationNs: String(end - start), jobAttempt: null, messagingOperation: null, messagingDestination: null, links: [], ...over,
  };
}

// accept (0–100) → publish (10–20) → attempt 1 (200–400, fails) → retry publish (390–395) → attempt 2 in another trace, linked (600–1000).
const SPANS = [
  span("accept", null, "SERVER", 0, 100),
  span("publish", "accept", "PRODUCER", 10, 20),
  span("c1", "publish", "CONSUMER", 200, 400, { statusCode: "ERROR", messagingDestination: "jobs" }),
  span("infer", "c1", "INTERNAL", 210, 380),
  span("retry", "c1", "PRODUCER", 390, 395),
  span("c2", null, "CONSUMER", 600, 1000, { traceId: "t2", links: [{ traceId: "t1", spanId: "retry" }], jobAttempt: 2, messagingDestination: "jobs" }),
  span("upload", "c2", "CLIENT", 900, 990, { traceId: "t2" }),
];

describe("job timeline", () => {
  const waits = jobQueueWaits(SPANS);
  const attempts = jobAttempts(SPANS, waits);

  it("pairs each consumer with its publish, by parent or by link", () => {
    expect(waits.map((w) => [w.consumerSpanId, w.fromSpanId, w.waitNs, w.queue])).toEqual([["c1", "publish", "180", "jobs"], ["c2", "retry", "205", "jobs"]]);
  });

  it("numbers attempts by start order unless job.attempt says otherwise", () => {
    expect(attempts.map((a) => [a.attempt, a.consumerSpanId, a.traceId, a.queueWaitNs])).toEqual([[1, "c1", "t1", "180"], [2, "c2", "t2", "205"]]);
    const relabelled = jobAttempts(SPANS.map((s) => (s.spanId === "c1" ? { ...s, jobAttempt: 4 } : s)), waits);
    expect(relabelled.map((a) => a.attempt)).toEqual([4, 2]);
  });

  it("gives each span the attempt of its nearest consumer ancestor; the API side has none", () => {
    expect(Object.fromEntries(attemptOfSpans(SPANS, attempts))).toEqual({ accept: null, publish: null, c1: 1, infer: 1, retry: 1, c2: 2, upload: 2 });
  });

  it("draws each queue wait as a row right above its consumer, on the job's time axis", () => {
    const rows = layoutJobTimeline(SPANS, waits, attempts);
    expect(rows.map((r) => (r.kind === "queue" ? `wait:${r.wait.consumerSpanId}` : r.span.spanId))).toEqual(["accept", "publish", "wait:c1", "c1", "infer", "retry", "wait:c2", "c2", "upload"]);
    const wait1 = rows[2]!;
    expect([wait1.depth, wait1.attempt, wait1.offset, wait1.width]).toEqual([2, 1, 0.02, 0.18]);
    const c2 = rows[7]!;
    expect([c2.depth, c2.offset, c2.width]).toEqual([0, 0.6, 0.4]);
  });

  it("is empty for no spans", () => {
    expect(layoutJobTimeline([], [], [])).toEqual([]);
  });
});
