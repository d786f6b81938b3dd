import { describe, expect, it } from "vitest";
import type { SpanRow } from "../otlp/normalise-traces";
import { dependencyOf, spansToFlowRollups } from "./flow-rollup";

const S = 1_000_000_000n;

function span(over: Partial<SpanRow>): SpanRow {
  return {
    serviceName: "api", name: "op", kind: "INTERNAL", statusCode: "UNSET", httpStatusCode: null, attributes: {},
    messagingDestinationName: null, messagingOperation: null, jobAttempt: null,
    startTimeUnixNano: 0n, endTimeUnixNano: 0n, durationNs: 0n, ...over,
  } as SpanRow;
}

describe("flow rollups", () => {
  it("counts publishes at their start, consumes at their end and calls at their start, per 10 s bucket", () => {
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

  it.each([
    [{ "peer.service": "a", "server.address": "b" }, "a"],
    [{ "server.address": "b" }, "b"],
    [{ "db.system": "postgresql" }, "postgresql"],
    [{}, null],
  ])("dependency of %o is %s", (attributes, expected) => {
    expect(dependencyOf(span({ attributes }))).toBe(expected);
  });
});
