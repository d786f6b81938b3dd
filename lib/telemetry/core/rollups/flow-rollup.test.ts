import { describe, expect, it } from "vitest";
import type { SpanRow } from "../otlp/normalise-traces";
import { dependencyOf, retryGapsMs, spansToFlowRollups } from "./flow-rollup";

const S = 1_000_000_000n;
const MS = 1_000_000n;

function span(over: Partial<SpanRow>): SpanRow {
  return {
    serviceName: "api", name: "op", kind: "INTERNAL", statusCode: "UNSET", httpStatusCode: null, httpRoute: null, attributes: {},
    messagingDestinationName: null, messagingOperation: null, jobAttempt: null,
    startTimeUnixNano: 0n, endTimeUnixNano: 0n, durationNs: 0n, ...over,
  } as SpanRow;
}

describe("flow rollups", () => {
  it("counts publishes at their start, consumes at their end, served requests and calls at their start, per 10 s bucket", () => {
    const rollups = spansToFlowRollups([
      span({ kind: "PRODUCER", messagingDestinationName: "jobs", startTimeUnixNano: 101n * S, endTimeUnixNano: 111n * S }),
      span({ kind: "PRODUCER", messagingDestinationName: "jobs", jobAttempt: 2, startTimeUnixNano: 109n * S }),
      span({ serviceName: "worker", kind: "CONSUMER", messagingDestinationName: "jobs", startTimeUnixNano: 105n * S, endTimeUnixNano: 121n * S, durationNs: 16n * S, statusCode: "ERROR" }),
      span({ serviceName: "worker", kind: "CLIENT", attributes: { "peer.service": "feature-store" }, jobAttempt: 3, startTimeUnixNano: 119n * S, durationNs: S }),
      span({ kind: "SERVER", startTimeUnixNano: 100n * S }),
      span({ kind: "CLIENT", startTimeUnixNano: 100n * S }), // no dependency named: not a flow
    ]);
    expect(rollups.map((r) => [r.bucket, r.flow, r.service, r.target, r.count, r.errorCount, r.retryCount, r.durationSumNs])).toEqual([
      [100, "publish", "api", "jobs", 2, 0, 1, 0],
      [100, "serve", "api", "", 1, 0, 0, 0],
      [110, "call", "worker", "feature-store", 1, 0, 1, 1e9],
      [120, "consume", "worker", "jobs", 1, 1, 0, 16e9],
    ]);
  });

  it("counts a cache lookup as a call and as a lookup, with its misses", () => {
    const lookup = (attributes: Record<string, unknown>) => span({ kind: "CLIENT", attributes: { "db.system": "redis", ...attributes }, startTimeUnixNano: 3n * S });
    const rollups = spansToFlowRollups([
      lookup({ "sample.cache.result": "hit" }), lookup({ "sample.cache.result": "miss" }), lookup({ "cache.hit": false }), lookup({ "cache.result": "hit" }),
      lookup({}), // a SET: a call, not a lookup
    ]);
    expect(rollups.map((r) => [r.flow, r.target, r.count, r.missCount])).toEqual([
      ["call", "redis", 5, 0],
      ["lookup", "redis", 4, 2],
    ]);
  });

  it("treats a send operation on a non-consumer span as a publish", () => {
    const [r] = spansToFlowRollups([span({ kind: "CLIENT", messagingDestinationName: "q", messagingOperation: "send", startTimeUnixNano: 5n * S })]);
    expect(r).toMatchObject({ flow: "publish", target: "q", bucket: 0 });
  });

  it("counts served requests per route (rpc.method for gRPC), errors by the server rule (5xx)", () => {
    const served = (over: Partial<SpanRow>) => span({ kind: "SERVER", startTimeUnixNano: 12n * S, ...over });
    const rollups = spansToFlowRollups([
      served({ httpRoute: "/orders/{id}", httpStatusCode: 200 }), served({ httpRoute: "/orders/{id}", httpStatusCode: 503 }), served({ httpRoute: "/orders/{id}", httpStatusCode: 404 }),
      served({ attributes: { "rpc.method": "GetPrice" } }),
    ]);
    expect(rollups.map((r) => [r.flow, r.target, r.count, r.errorCount])).toEqual([
      ["serve", "/orders/{id}", 3, 1],
      ["serve", "GetPrice", 1, 0],
    ]);
  });

  // Each row: one CLIENT call to `pricing`; does it count as a retry?
  it.each<{ note: string; over: Partial<SpanRow>; retries: number }>([
    { note: "a first try", over: {}, retries: 0 },
    { note: "an HTTP resend (http.request.resend_count 1)", over: { attributes: { "http.request.resend_count": 1 } }, retries: 1 },
    { note: "an HTTP resend under the 1.15–1.22 name", over: { attributes: { "http.resend_count": 2 } }, retries: 1 },
    { note: "a gRPC retry (grpc-previous-rpc-attempts metadata)", over: { attributes: { "rpc.grpc.request.metadata.grpc-previous-rpc-attempts": ["1"] } }, retries: 1 },
    { note: "a call inside a job's second attempt", over: { jobAttempt: 2 }, retries: 1 },
  ])("retries: $note → $retries", ({ over, retries }) => {
    const [r] = spansToFlowRollups([span({ kind: "CLIENT", startTimeUnixNano: S, ...over, attributes: { "peer.service": "pricing", ...over.attributes } })]);
    expect(r).toMatchObject({ flow: "call", target: "pricing", count: 1, retryCount: retries });
  });

  // Calls by one parent to `pricing` as [start ms, end ms, failed?, resend count]; the gap measured before each retry.
  it.each<{ note: string; calls: [number, number, boolean, number][]; gaps: (number | undefined)[] }>([
    { note: "immediate resends after failures", calls: [[0, 20, true, 0], [21, 40, true, 1], [42, 60, false, 2]], gaps: [undefined, 1, 2] },
    { note: "exponential backoff", calls: [[0, 20, true, 0], [120, 140, true, 1], [340, 360, false, 2]], gaps: [undefined, 100, 200] },
    { note: "the failed call came in another batch: not measured", calls: [[500, 520, false, 1]], gaps: [undefined] },
    { note: "a resend after a success (a redirect): not measured", calls: [[0, 20, false, 0], [20, 40, false, 1]], gaps: [undefined, undefined] },
    { note: "a slow sibling that succeeded does not shorten the gap", calls: [[0, 20, true, 0], [0, 450, false, 0], [520, 540, false, 1]], gaps: [undefined, undefined, 500] },
    { note: "a resend that overlaps the failed call (a hedge): not measured", calls: [[0, 200, true, 0], [100, 150, false, 1]], gaps: [undefined, undefined] },
  ])("retry gaps: $note", ({ calls, gaps }) => {
    const spans = calls.map(([startMs, endMs, failed, resends], i) => span({
      traceId: "t1", spanId: `s${i}`, parentSpanId: "p1", kind: "CLIENT", statusCode: failed ? "ERROR" : "UNSET",
      startTimeUnixNano: BigInt(startMs) * MS, endTimeUnixNano: BigInt(endMs) * MS,
      attributes: { "peer.service": "pricing", ...(resends > 0 ? { "http.request.resend_count": resends } : {}) },
    }));
    const measured = retryGapsMs(spans);
    expect(spans.map((s) => measured.get(s))).toEqual(gaps);
  });

  it("keeps gaps apart per parent and dependency, and sums them into the call rollups", () => {
    const call = (o: { parent: string; dep: string; startMs: number; endMs: number; failed?: boolean; resend?: number }) => span({
      traceId: "t1", parentSpanId: o.parent, kind: "CLIENT", statusCode: o.failed ? "ERROR" : "UNSET",
      startTimeUnixNano: BigInt(o.startMs) * MS, endTimeUnixNano: BigInt(o.endMs) * MS,
      attributes: { "peer.service": o.dep, ...(o.resend ? { "http.request.resend_count": o.resend } : {}) },
    });
    const rollups = spansToFlowRollups([
      call({ parent: "p1", dep: "pricing", startMs: 0, endMs: 10, failed: true }), call({ parent: "p1", dep: "pricing", startMs: 13, endMs: 20, resend: 1 }), // gap 3 ms
      call({ parent: "p2", dep: "pricing", startMs: 0, endMs: 8, failed: true }), call({ parent: "p2", dep: "pricing", startMs: 15, endMs: 20, resend: 1 }), // gap 7 ms
      call({ parent: "p3", dep: "auth", startMs: 0, endMs: 5, failed: true }), call({ parent: "p3", dep: "pricing", startMs: 6, endMs: 9, resend: 1 }), // auth's failure is not pricing's
    ]);
    const pricing = rollups.find((r) => r.target === "pricing");
    expect(pricing).toMatchObject({ count: 5, retryCount: 3, retryGapCount: 2 });
    expect(pricing?.retryGapLogMsSum).toBeCloseTo(Math.log(4) + Math.log(8), 9); // ln(1 + 3) + ln(1 + 7)
  });

  it.each([
    [{ "peer.service": "a", "server.address": "b" }, "a"],
    [{ "server.address": "b" }, "b"],
    [{ "db.system": "postgresql" }, "postgresql"],
    [{}, null],
  ])("dependency of %o is %s", (attributes, expected) => {
    expect(dependencyOf(span({ attributes }))).toBe(expected);
  });
});
