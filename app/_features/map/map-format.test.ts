import { describe, expect, it } from "vitest";
import { edgeLabelAt, nodeLines, shortName, worstSeverity } from "./map-format";

const signal = (severity: "warning" | "critical") => ({ id: "1", kind: "saturation", severity, summary: "s" });

describe("service map labels", () => {
  it("shows a queue's arrival against completion and its backlog change", () => {
    const queue = { id: "queue:q", kind: "queue" as const, name: "q", arrivalRatePerS: 2, completionRatePerS: 1.5, backlogChange: 90, errorRatio: 0.1, meanMs: 20, signals: [] };
    expect(nodeLines(queue)).toEqual(["in 2.00/s · out 1.50/s", "backlog +90 · 10.0 % err · 20 ms"]);
  });

  it("adds a cache's miss ratio only when it made lookups", () => {
    const dep = { id: "dependency:redis", kind: "dependency" as const, name: "redis", ratePerS: 12, errorRatio: 0, meanMs: 1.5, missRatio: null, signals: [] };
    expect(nodeLines(dep)).toEqual(["12/s · 0.00 % err · 1.50 ms"]);
    expect(nodeLines({ ...dep, missRatio: 0.25 })).toEqual(["12/s · 0.00 % err · 1.50 ms", "cache misses 25.0 %"]);
  });

  it.each([[[], null], [[signal("warning")], "warning"], [[signal("warning"), signal("critical")], "critical"]] as const)("colours %j as %s", (signals, worst) => {
    expect(worstSeverity(signals)).toBe(worst);
  });

  it("cuts long names and puts an edge's label mid-route", () => {
    expect(shortName("a-very-long-service-name-indeed", 10)).toBe("a-very-lo…");
    expect(edgeLabelAt([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 20 }, { x: 30, y: 20 }])).toEqual({ x: 10, y: 10 });
    expect(edgeLabelAt([{ x: 0, y: 0 }])).toBeNull();
  });
});
