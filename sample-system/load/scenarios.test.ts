import { describe, expect, it } from "vitest";
import { HEALTHY_KNOBS } from "../knobs";
import { faultWindowMs, knobsAt, parseDurationMs, planScenario, rateAt, SCENARIO_NAMES } from "./scenarios";

const MIN = 60_000;

describe("fault window", () => {
  it.each([
    // run length, fault start, fault end
    [6 * MIN, 2 * MIN, 4 * MIN],
    [10 * MIN, 4 * MIN, 6 * MIN],
    [90_000, 30_000, 60_000],
  ])("a %d ms run faults from %d to %d ms", (durationMs, start, end) => {
    expect(faultWindowMs(durationMs)).toEqual({ startOffsetMs: start, endOffsetMs: end });
  });
});

describe("scenario timelines", () => {
  it("steady has no fault and a flat rate", () => {
    const plan = planScenario({ scenario: "steady", ratePerS: 7, durationMs: MIN });
    expect(plan.fault).toBeNull();
    expect([0, 30_000, 59_999].map((t) => rateAt(plan, t))).toEqual([7, 7, 7]);
    expect(knobsAt(plan, 30_000)).toEqual(HEALTHY_KNOBS);
  });

  it("spike offers 10× the base rate for two minutes", () => {
    const plan = planScenario({ scenario: "spike", ratePerS: 10 });
    expect(plan.fault).toMatchObject({ kind: "traffic-spike", startOffsetMs: 2 * MIN, endOffsetMs: 4 * MIN });
    expect([2 * MIN - 1, 2 * MIN, 4 * MIN - 1, 4 * MIN].map((t) => rateAt(plan, t))).toEqual([10, 100, 100, 10]);
  });

  it("gpu-slowdown ramps service time to 5× over the first half of the window, then restores it", () => {
    const plan = planScenario({ scenario: "gpu-slowdown" });
    expect([MIN, 2 * MIN, 2.5 * MIN, 3 * MIN, 3.5 * MIN, 4 * MIN].map((t) => knobsAt(plan, t).serviceTimeFactor)).toEqual([1, 1, 3, 5, 5, 1]);
  });

  it("flaky-downstream fails half the calls and retries aggressively only inside the window", () => {
    const plan = planScenario({ scenario: "flaky-downstream", durationMs: 3 * MIN });
    expect(knobsAt(plan, 1.5 * MIN)).toMatchObject({ downstreamFailureRatio: 0.5, retryPolicy: "aggressive" });
    expect(knobsAt(plan, 2 * MIN)).toMatchObject({ downstreamFailureRatio: 0, retryPolicy: "normal" });
  });

  it("cache-stampede forces async+cache, flushes once and aligns expiries", () => {
    const plan = planScenario({ scenario: "cache-stampede", mode: "sync" });
    expect(plan.mode).toBe("async+cache");
    expect(knobsAt(plan, MIN).cacheFlushGeneration).toBe(0);
    expect(knobsAt(plan, 2 * MIN)).toMatchObject({ cacheFlushGeneration: 1, cacheStampedeProtection: false, cacheTtlMs: 2000 });
    expect(knobsAt(plan, 5 * MIN)).toMatchObject({ cacheFlushGeneration: 1, cacheStampedeProtection: true, cacheTtlMs: null });
  });

  it.each(SCENARIO_NAMES.filter((s) => s !== "steady"))("%s names its fault kind and resource", (scenario) => {
    const plan = planScenario({ scenario });
    expect(plan.fault?.kind).toBeTruthy();
    expect(plan.fault?.resource).toBeTruthy();
  });
});

describe("the canary scenario", () => {
  it("shifts the share of jobs to the canary a third into the run (two minutes at most) and keeps it there", () => {
    const plan = planScenario({ scenario: "canary", durationMs: 90_000, canary: { share: 0.3, fault: "errors" } });
    expect(plan.canary).toEqual({ share: 0.3, fault: "errors", startOffsetMs: 30_000 });
    expect([0, 29_999, 30_000, 89_999].map((t) => knobsAt(plan, t).canaryShare)).toEqual([0, 0, 0.3, 0.3]);
    expect(knobsAt(plan, 60_000)).toEqual({ ...HEALTHY_KNOBS, canaryShare: 0.3 });
    expect(planScenario({ scenario: "canary" }).canary).toEqual({ share: 0.2, fault: "slow", startOffsetMs: 2 * MIN });
  });

  it.each([
    ["slow", "canary-latency"],
    ["errors", "canary-errors"],
  ] as const)("a %s canary is a %s fault from its start to the end of the run", (fault, kind) => {
    const plan = planScenario({ scenario: "canary", durationMs: 6 * MIN, canary: { fault, startOffsetMs: 10_000 } });
    expect(plan.fault).toMatchObject({ kind, resource: "sample-worker canary release", startOffsetMs: 10_000, endOffsetMs: 6 * MIN });
  });

  it("a healthy canary is no fault, yet still takes its share", () => {
    const plan = planScenario({ scenario: "canary", durationMs: MIN, canary: { fault: "none" } });
    expect(plan.fault).toBeNull();
    expect(knobsAt(plan, 30_000).canaryShare).toBe(0.2);
  });

  it("needs a queue, and other scenarios have no canary", () => {
    expect(() => planScenario({ scenario: "canary", mode: "sync" })).toThrow(/queue/);
    expect(planScenario({ scenario: "spike", canary: { share: 1 } }).canary).toBeNull();
    expect(knobsAt(planScenario({ scenario: "spike" }), 3 * MIN).canaryShare).toBe(0);
  });
});

describe("parseDurationMs", () => {
  it.each([
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["250ms", 250],
    ["30", 30_000],
  ])("%s = %d ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it("rejects nonsense", () => {
    expect(() => parseDurationMs("soon")).toThrow(/invalid duration/);
  });
});
