import { describe, expect, it } from "vitest";
import { DrainRateMeter, decideBackpressure } from "./backpressure";

describe("decideBackpressure", () => {
  it.each([
    // backlog, limit, drain/s, decision
    [99, 100, 10, { shed: false }],
    [100, 100, 10, { shed: true, retryAfterS: 1 }],
    [150, 100, 10, { shed: true, retryAfterS: 6 }],
    [100, 100, 0, { shed: true, retryAfterS: 60 }],
    [10_000, 100, 1, { shed: true, retryAfterS: 60 }],
  ])("backlog %d of %d draining %d/s", (backlog, backlogLimit, drainRatePerS, decision) => {
    expect(decideBackpressure({ backlog, backlogLimit, drainRatePerS })).toEqual(decision);
  });
});

describe("DrainRateMeter", () => {
  it("converges on a steady completion rate", () => {
    const meter = new DrainRateMeter(0, 1000);
    let rate = 0;
    for (let t = 1000; t <= 20_000; t += 1000) {
      meter.recordCompletions(40);
      rate = meter.rate(t);
    }
    expect(rate).toBeCloseTo(40, 1);
  });
});
