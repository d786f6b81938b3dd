import { describe, expect, it } from "vitest";
import type { MinuteAggregate } from "../../telemetry/core/metrics/minute-aggregate";
import { parseSloDefinition } from "./definition";
import { metricRatioContributions } from "./metric-sli";
import type { SloRef } from "./span-sli";

const MINUTE_MS = 29_000_000 * 60_000;

function sum(metricName: string, deltaTotal: number, attributes: Record<string, string>, minuteStartUnixMs = MINUTE_MS, serviceName = "api"): MinuteAggregate {
  return { kind: "sum", metricName, serviceName, attributes, attributesHash: JSON.stringify(attributes), unit: "1", minuteStartUnixMs, deltaTotal };
}

const def = parseSloDefinition({
  name: "requests-ok",
  service: "api",
  sli: {
    kind: "metricRatio",
    good: { metric: "http_requests_total", matchers: [{ key: "code", op: "!~", value: "5.." }] },
    total: { metric: "http_requests_total", matchers: [] },
  },
  objectivePercent: 99,
  window: { type: "rolling", durationDays: 28 },
});
if (!def.ok) throw new Error(def.reason);
const slo: SloRef = { id: "s1", definition: def.definition };

describe("metricRatioContributions", () => {
  it("sums good and total counter increases per minute with the matchers", () => {
    const aggregates = [
      sum("http_requests_total", 90, { code: "200" }),
      sum("http_requests_total", 6, { code: "404" }),
      sum("http_requests_total", 4, { code: "503" }),
      sum("http_requests_total", 10, { code: "200" }, MINUTE_MS + 60_000),
      sum("other_total", 1000, { code: "500" }),
    ];
    expect(metricRatioContributions([slo], aggregates)).toEqual([
      { sloId: "s1", minute: 29_000_000, good: 96, total: 100 },
      { sloId: "s1", minute: 29_000_001, good: 10, total: 10 },
    ]);
  });

  it("counts histogram observations, ignores gauges, and lets matchers name the service", () => {
    const byService = parseSloDefinition({ ...def.definition, sli: { kind: "metricRatio", good: { metric: "latency", matchers: [{ key: "service.name", op: "=", value: "api" }] }, total: { metric: "latency", matchers: [] } } });
    if (!byService.ok) throw new Error(byService.reason);
    const histogram = (serviceName: string, count: number): MinuteAggregate => ({ kind: "histogram", metricName: "latency", serviceName, attributes: {}, attributesHash: "", unit: "ms", minuteStartUnixMs: MINUTE_MS, count, sum: null, min: null, max: null, explicitBounds: [], bucketCounts: [count] });
    const gauge: MinuteAggregate = { kind: "gauge", metricName: "latency", serviceName: "api", attributes: {}, attributesHash: "", unit: "ms", minuteStartUnixMs: MINUTE_MS, count: 1, sum: 5, min: 5, max: 5, avg: 5, last: 5, lastTimeUnixNano: 0n };
    expect(metricRatioContributions([{ id: "s2", definition: byService.definition }], [histogram("api", 7), histogram("batch", 3), gauge])).toEqual([{ sloId: "s2", minute: 29_000_000, good: 7, total: 10 }]);
  });

  it("ignores SLOs of other kinds", () => {
    const other = parseSloDefinition({ name: "x", service: "api", sli: { kind: "availability", selector: { service: "api" } }, objectivePercent: 99, window: { type: "rolling", durationDays: 7 } });
    if (!other.ok) throw new Error(other.reason);
    expect(metricRatioContributions([{ id: "x", definition: other.definition }], [sum("http_requests_total", 5, {})])).toEqual([]);
  });
});
