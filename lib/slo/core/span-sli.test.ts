import { describe, expect, it } from "vitest";
import type { SpanRow } from "../../telemetry/core/otlp/normalise-traces";
import { parseSloDefinition, type SloDefinitionInput } from "./definition";
import { jobContributions, matchesAttribute, matchesSelector, producersToLookUp, spanContributions, type SloRef } from "./span-sli";

const MIN = 60_000_000_000n;
const T0 = 29_000_000n * MIN; // minute 29,000,000 since the epoch

function span(over: Partial<SpanRow>): SpanRow {
  return {
    traceId: "a".repeat(32), spanId: "b".repeat(16), parentSpanId: null, traceState: "", serviceName: "api", serviceVersion: null, scopeName: "", scopeVersion: "",
    name: "POST /v1/jobs", kind: "SERVER", statusCode: "UNSET", statusMessage: "", startTimeUnixNano: T0, endTimeUnixNano: T0 + 100_000_000n, durationNs: 100_000_000n,
    attributes: {}, droppedAttributesCount: 0, resourceAttributes: {}, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0,
    jobId: null, jobAttempt: null, messagingSystem: null, messagingOperation: null, messagingDestinationName: null, messagingMessageId: null, httpMethod: "POST", httpRoute: "/v1/jobs", httpStatusCode: 202,
    ...over,
  };
}

function slo(id: string, d: Partial<SloDefinitionInput> & Pick<SloDefinitionInput, "sli">): SloRef {
  const r = parseSloDefinition({ name: id, service: "api", objectivePercent: 99, window: { type: "rolling", durationDays: 28 }, ...d });
  if (!r.ok) throw new Error(r.reason);
  return { id, definition: r.definition };
}

describe("matchesAttribute with a catastrophic-backtracking pattern", () => {
  const jobId = "0123456789abcdef-0123456789abcdef-012345"; // 40 characters, no final x
  it.each([
    ["=~ on a 40-character id", "=~", jobId, false],
    ["!~ on a 40-character id", "!~", jobId, true],
    ["=~ on a 40-character id ending in x", "=~", `${jobId}x`, true],
    ["=~ on a 100 KB value", "=~", "f".repeat(100_000), false],
    ["!~ on a 100 KB value ending in x", "!~", `${"f".repeat(100_000)}x`, false],
  ] as const)("job.id %s", (_label, op, value, expected) => {
    // Asserted first: a backtracking engine accepts a backreference, and would then hang on the rows below.
    expect(parseSloDefinition({ name: "re2", service: "api", objectivePercent: 99, window: { type: "rolling", durationDays: 7 }, sli: { kind: "availability", selector: { service: "api", attributes: [{ key: "k", op: "=~", value: "(a)\\1" }] } } }).ok).toBe(false);
    expect(matchesAttribute({ key: "job.id", op, value: "([0-9a-f-]+)+x" }, { "job.id": value })).toBe(expected);
  });
});

describe("matchesSelector", () => {
  it.each([
    [{ service: "api" }, {}, true],
    [{ service: "worker" }, {}, false],
    [{ service: "api", spanKind: "server" }, {}, true],
    [{ service: "api", spanKind: "consumer" }, {}, false],
    [{ service: "api", route: "/v1/jobs" }, {}, true],
    [{ service: "api", attributes: [{ key: "tenant", op: "=~", value: "a.*" }] }, { attributes: { tenant: "acme" } }, true],
    [{ service: "api", attributes: [{ key: "tenant", op: "!=", value: "acme" }] }, { attributes: { tenant: "acme" } }, false],
  ] as const)("%j on %j → %s", (selector, over, expected) => {
    const parsed = slo("s", { sli: { kind: "availability", selector: selector as never } }).definition.sli;
    if (parsed.kind !== "availability") throw new Error("kind");
    expect(matchesSelector(parsed.selector, span(over as Partial<SpanRow>))).toBe(expected);
  });
});

describe("spanContributions", () => {
  const availability = slo("avail", { sli: { kind: "availability", selector: { service: "api", spanKind: "server" } } });
  const latency = slo("lat", { sli: { kind: "latency", selector: { service: "api" }, thresholdMs: 300 } });

  it("counts errors and 5xx as bad for availability, per minute of span end", () => {
    const spans = [
      span({}),
      span({ statusCode: "ERROR" }),
      span({ httpStatusCode: 503 }),
      span({ endTimeUnixNano: T0 + MIN + 1n }),
      span({ serviceName: "other" }),
    ];
    expect(spanContributions([availability], spans)).toEqual([
      { sloId: "avail", minute: 29_000_000, good: 1, total: 3 },
      { sloId: "avail", minute: 29_000_001, good: 1, total: 1 },
    ]);
  });

  it("counts a span at exactly the threshold as good for latency", () => {
    const spans = [span({ durationNs: 300_000_000n }), span({ durationNs: 300_000_001n }), span({ durationNs: 5_000_000n, statusCode: "ERROR" })];
    expect(spanContributions([latency], spans)).toEqual([{ sloId: "lat", minute: 29_000_000, good: 2, total: 3 }]);
  });

  it("measures queue wait from the producer's end to the consumer's start within a batch", () => {
    const wait = slo("wait", { sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 } });
    const producer = span({ spanId: "1".repeat(16), kind: "PRODUCER", endTimeUnixNano: T0 });
    const fast = span({ spanId: "2".repeat(16), kind: "CONSUMER", messagingDestinationName: "jobs", parentSpanId: "1".repeat(16), startTimeUnixNano: T0 + 999_000_000n });
    const slow = span({ spanId: "3".repeat(16), kind: "CONSUMER", messagingDestinationName: "jobs", links: [{ traceId: "a".repeat(32), spanId: "1".repeat(16), traceState: "", attributes: {}, droppedAttributesCount: 0 }], startTimeUnixNano: T0 + 2_000_000_000n });
    const orphan = span({ spanId: "4".repeat(16), kind: "CONSUMER", messagingDestinationName: "jobs" });
    expect(spanContributions([wait], [producer, fast, slow, orphan])).toEqual([{ sloId: "wait", minute: 29_000_000, good: 1, total: 2 }]);
  });
});

describe("queue wait across batches", () => {
  const wait = slo("wait", { sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 } });
  const consumer = span({ spanId: "2".repeat(16), kind: "CONSUMER", messagingDestinationName: "jobs", parentSpanId: "1".repeat(16), startTimeUnixNano: T0 + 1_500_000_000n });

  it("asks for the producers that are not in the batch, only for queue-wait queues", () => {
    expect(producersToLookUp([wait], [consumer])).toEqual([{ traceId: "a".repeat(32), spanId: "1".repeat(16) }]);
    expect(producersToLookUp([wait], [consumer, span({ spanId: "1".repeat(16), kind: "PRODUCER" })])).toEqual([]);
    expect(producersToLookUp([wait], [{ ...consumer, messagingDestinationName: "other" }])).toEqual([]);
  });

  it("pairs a consumer with a producer stored by an earlier batch", () => {
    expect(spanContributions([wait], [consumer], [{ spanId: "1".repeat(16), endTimeUnixNano: T0 }])).toEqual([{ sloId: "wait", minute: 29_000_000, good: 0, total: 1 }]);
    expect(spanContributions([wait], [consumer], [{ spanId: "1".repeat(16), endTimeUnixNano: T0 + 600_000_000n }])).toEqual([{ sloId: "wait", minute: 29_000_000, good: 1, total: 1 }]);
  });
});

describe("jobContributions", () => {
  const completion = slo("jobs", { service: "worker", sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 } });
  it("counts a job once when it finishes: good only if it succeeded within the threshold", () => {
    const base = { firstSeenUnixNano: T0, services: ["api", "worker"], queues: ["jobs"] };
    const jobs = [
      { ...base, jobId: "ok", finishedUnixNano: T0 + 4n * MIN, succeeded: true },
      { ...base, jobId: "slow", finishedUnixNano: T0 + 4n * MIN + 5n * MIN, succeeded: true },
      { ...base, jobId: "failed", finishedUnixNano: T0 + 4n * MIN, succeeded: false },
      { ...base, jobId: "elsewhere", queues: ["other"], finishedUnixNano: T0 + 4n * MIN, succeeded: true },
    ];
    expect(jobContributions([completion], jobs)).toEqual([
      { sloId: "jobs", minute: 29_000_004, good: 1, total: 2 },
      { sloId: "jobs", minute: 29_000_009, good: 0, total: 1 },
    ]);
  });
});
