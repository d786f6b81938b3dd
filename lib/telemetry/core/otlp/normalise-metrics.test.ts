import { describe, expect, it } from "vitest";
import { decodeMetricsRequest } from "./decode";
import { normaliseMetrics } from "./normalise-metrics";
import { BASE_UNIX_NANO, encodeMetricsJson, int, nanoText, str } from "../../../../tests/fixtures/otlp-payloads";

const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;
const T = nanoText(60_000_000_001n);
const START = nanoText(1n);

function request(metrics: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [str("service.name", "gpu-worker"), str("service.instance.id", "w-1")] },
        scopeMetrics: [{ scope: { name: "tailguard-sample" }, metrics }],
      },
    ],
  };
}

function normaliseBoth(json: Record<string, unknown>) {
  const fromJson = decodeMetricsRequest(JSON.stringify(json), "json");
  const fromProto = decodeMetricsRequest(encodeMetricsJson(json), "protobuf");
  if (!fromJson.ok || !fromProto.ok) throw new Error(`${fromJson.ok ? "" : fromJson.reason} ${fromProto.ok ? "" : fromProto.reason}`);
  return [normaliseMetrics(fromJson.value, { nowUnixNano: NOW }), normaliseMetrics(fromProto.value, { nowUnixNano: NOW })];
}

const base = {
  serviceName: "gpu-worker",
  scopeName: "tailguard-sample",
  resourceAttributes: { "service.name": "gpu-worker", "service.instance.id": "w-1" },
  droppedAttributesCount: 0,
  timeUnixNano: BASE_UNIX_NANO + 60_000_000_001n,
};

describe("normaliseMetrics", () => {
  it("turns every metric kind into rows, the same from JSON and protobuf", () => {
    const json = request([
      { name: "queue.depth", unit: "{message}", description: "Backlog", gauge: { dataPoints: [{ timeUnixNano: T, asInt: "4100", attributes: [str("queue", "jobs")] }] } },
      {
        name: "jobs.completed", unit: "{job}",
        sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: START, timeUnixNano: T, asDouble: 12.5 }] },
      },
      {
        name: "http.server.request.duration", unit: "s",
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [{ startTimeUnixNano: START, timeUnixNano: T, count: "6", sum: 1.2, min: 0.01, max: 0.9, bucketCounts: ["1", "3", "2"], explicitBounds: [0.1, 0.5], attributes: [int("http.response.status_code", 200)] }],
        },
      },
      {
        name: "job.duration", unit: "s",
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [{ timeUnixNano: T, count: "3", sum: 7, scale: 1, zeroCount: "1", positive: { offset: -1, bucketCounts: ["1", "1"] } }],
        },
      },
      { name: "rpc.latency", unit: "ms", summary: { dataPoints: [{ timeUnixNano: T, count: "10", sum: 55, quantileValues: [{ quantile: 0.5, value: 5 }, { quantile: 0.99, value: 20 }] }] } },
    ]);
    const expected = {
      points: [
        { ...base, name: "queue.depth", unit: "{message}", description: "Backlog", kind: "gauge", attributes: { queue: "jobs" }, startTimeUnixNano: null, value: 4100 },
        { ...base, name: "jobs.completed", unit: "{job}", description: "", kind: "sum", temporality: "cumulative", isMonotonic: true, attributes: {}, startTimeUnixNano: BASE_UNIX_NANO + 1n, value: 12.5 },
        {
          ...base, name: "http.server.request.duration", unit: "s", description: "", kind: "histogram", temporality: "delta",
          attributes: { "http.response.status_code": 200 }, startTimeUnixNano: BASE_UNIX_NANO + 1n,
          count: 6, sum: 1.2, min: 0.01, max: 0.9, explicitBounds: [0.1, 0.5], bucketCounts: [1, 3, 2],
        },
        {
          ...base, name: "job.duration", unit: "s", description: "", kind: "exponential_histogram", temporality: "delta", attributes: {}, startTimeUnixNano: null,
          count: 3, sum: 7, min: null, max: null, scale: 1, zeroCount: 1, zeroThreshold: 0, positive: { offset: -1, bucketCounts: [1, 1] }, negative: { offset: 0, bucketCounts: [] },
        },
        { ...base, name: "rpc.latency", unit: "ms", description: "", kind: "summary", attributes: {}, startTimeUnixNano: null, count: 10, sum: 55, quantiles: [{ quantile: 0.5, value: 5 }, { quantile: 0.99, value: 20 }] },
      ],
      rejectedDataPoints: 0,
      errorMessage: null,
    };
    for (const result of normaliseBoth(json)) expect(result).toEqual(expected);
  });

  const point = { timeUnixNano: T, asInt: "1" };
  it.each([
    ["a point without a value", { gauge: { dataPoints: [{ timeUnixNano: T }] } }, "value: neither asInt nor asDouble is set"],
    ["a time in 1999", { gauge: { dataPoints: [{ ...point, timeUnixNano: "946684799000000000" }] } }, "timeUnixNano: 946684799000000000 is before 2000-01-01"],
    ["a start after the time", { gauge: { dataPoints: [{ ...point, startTimeUnixNano: nanoText(70_000_000_000n) }] } }, "startTimeUnixNano: after timeUnixNano"],
    ["an unspecified temporality", { sum: { dataPoints: [point] } }, "aggregationTemporality: unspecified"],
    ["too few bucket counts", { histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, count: 1, bucketCounts: [1], explicitBounds: [1] }] } }, "bucketCounts: expected 2 counts for 1 bounds, got 1"],
    ["unsorted bounds", { histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, count: 1, bucketCounts: [1, 0, 0], explicitBounds: [2, 1] }] } }, "explicitBounds: expected finite, strictly increasing bounds"],
    ["a count off the bucket total", { histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, count: 5, bucketCounts: [1, 1], explicitBounds: [1] }] } }, "count: 5 differs from the bucket total 2"],
    ["a scale out of range", { exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, scale: 21 }] } }, "scale: 21 is outside [-10, 20]"],
  ])("rejects %s and keeps its neighbour", (_case, data, reason) => {
    for (const result of normaliseBoth(request([{ name: "bad", ...data }, { name: "good", gauge: { dataPoints: [point] } }]))) {
      expect([result.points.map((p) => p.name), result.rejectedDataPoints, result.errorMessage]).toEqual([
        ["good"], 1, `resourceMetrics[0].scopeMetrics[0].metrics[0] (bad).dataPoints[0].${reason}`,
      ]);
    }
  });

  it("skips no-recorded-value points without counting them as rejected", () => {
    for (const result of normaliseBoth(request([{ name: "g", gauge: { dataPoints: [{ timeUnixNano: T, flags: 1 }, point] } }]))) {
      expect([result.points.length, result.rejectedDataPoints]).toEqual([1, 0]);
    }
  });
});
