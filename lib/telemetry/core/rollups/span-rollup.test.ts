import { describe, expect, it } from "vitest";
import type { SpanRow } from "../otlp/normalise-traces";
import { durationBucketIndex } from "../metrics/duration-buckets";
import { isErrorSpan, spansToRollups } from "./span-rollup";

const MINUTE = 60_000_000_000n;

function span(over: Partial<SpanRow>): SpanRow {
  return { serviceName: "api", name: "GET /", kind: "SERVER", statusCode: "UNSET", httpStatusCode: null, startTimeUnixNano: 0n, endTimeUnixNano: 0n, durationNs: 0n, ...over } as SpanRow;
}

describe("span rollups", () => {
  it.each([
    [{ statusCode: "ERROR" }, true],
    [{ statusCode: "OK", httpStatusCode: 503 }, true],
    [{ httpStatusCode: 404 }, false],
    [{ kind: "CLIENT", httpStatusCode: 503 }, false], // a client's 5xx is its callee's error
    [{}, false],
  ] as const)("error(%o) = %s", (over, expected) => {
    expect(isErrorSpan(span(over as Partial<SpanRow>))).toBe(expected);
  });

  it("counts spans per service, name, kind and minute of their end, sorted by key", () => {
    const rollups = spansToRollups([
      span({ serviceName: "b", endTimeUnixNano: 10n * MINUTE + 5n, durationNs: 1_000_000n }),
      span({ serviceName: "a", endTimeUnixNano: 10n * MINUTE + 1n, durationNs: 2_000_000n, statusCode: "ERROR" }),
      span({ serviceName: "a", endTimeUnixNano: 10n * MINUTE + 9n, durationNs: 4_000_000n }),
      span({ serviceName: "a", endTimeUnixNano: 11n * MINUTE, durationNs: 1n }),
    ]);
    expect(rollups.map((r) => [r.service, r.minute, r.count, r.errorCount, r.durationSumNs, r.durationMaxNs, r.lastEndNs])).toEqual([
      ["a", 10, 2, 1, 6_000_000, 4_000_000n, 10n * MINUTE + 9n],
      ["a", 11, 1, 0, 1, 1n, 11n * MINUTE],
      ["b", 10, 1, 0, 1_000_000, 1_000_000n, 10n * MINUTE + 5n],
    ]);
    expect(rollups[0]?.buckets[durationBucketIndex(2_000_000)]).toBe(1);
    expect(rollups[0]?.buckets[durationBucketIndex(4_000_000)]).toBe(1);
  });
});
