import { describe, expect, it } from "vitest";
import { seededRandom } from "../../lib/random/seeded";
import { DEFAULT_SERVICE_TIME } from "../worker/service-time";
import { CANARY_FAULT_SETTINGS, CanarySchema, canaryVersionOf, canaryWorkerCount, pickRelease, workerRelease, type CanaryInput, type ReleaseRole } from "./release";

const system = (canary: CanaryInput | null, workers = 2) => ({
  serviceVersion: "1.0.0",
  queueName: "jobs",
  serviceTime: DEFAULT_SERVICE_TIME,
  workers,
  canary: canary && CanarySchema.parse(canary),
});

function route(seed: number, share: number, jobs: number): ReleaseRole[] {
  const random = seededRandom(seed);
  return Array.from({ length: jobs }, () => pickRelease(random, share));
}

describe("routing new jobs between the releases", () => {
  it.each([
    // share, canary jobs of 10,000 within ±3 standard deviations (sd = √(n·p·(1−p)))
    [0, 0, 0],
    [0.05, 435, 565], // sd ≈ 21.8
    [0.2, 1880, 2120], // sd = 40
    [0.5, 4850, 5150], // sd = 50
    [1, 10_000, 10_000],
  ])("share %d sends between %d and %d of 10,000 jobs to the canary", (share, low, high) => {
    const canary = route(7, share, 10_000).filter((r) => r === "canary").length;
    expect(canary).toBeGreaterThanOrEqual(low);
    expect(canary).toBeLessThanOrEqual(high);
  });

  it("repeats the same routing from the same seed, and another from another seed", () => {
    expect(route(42, 0.2, 500)).toEqual(route(42, 0.2, 500));
    expect(route(42, 0.2, 500)).not.toEqual(route(43, 0.2, 500));
  });

  it("draws nothing while the canary takes no traffic, so the routing after it starts is the seed's", () => {
    const random = seededRandom(9);
    for (let i = 0; i < 100; i++) pickRelease(random, 0);
    const after = Array.from({ length: 200 }, () => pickRelease(random, 0.2));
    expect(after).toEqual(route(9, 0.2, 200));
  });
});

describe("canary fault settings", () => {
  it.each([
    // fault, service time factor, failure ratio
    ["none", 1, 0],
    ["slow", 2.5, 0],
    ["errors", 1, 0.1],
  ] as const)("%s: %d× service time, %d of jobs fail", (fault, factor, failureRatio) => {
    expect(CANARY_FAULT_SETTINGS[fault]).toEqual({ serviceTimeFactor: factor, failureRatio });
  });

  it.each([
    // fault, canary median service time (baseline 120 ms), failure ratio
    ["none", 120, 0],
    ["slow", 300, 0],
    ["errors", 120, 0.1],
  ] as const)("the %s canary release infers with a %d ms median and fails %d of jobs; the baseline is untouched", (fault, medianMs, failureRatio) => {
    const s = system({ fault });
    expect(workerRelease(s, "canary")).toMatchObject({ role: "canary", serviceVersion: "1.0.0-canary", queueName: "jobs.canary", serviceTime: { distribution: "lognormal", medianMs, sigma: 0.4 }, failureRatio });
    expect(workerRelease(s, "baseline")).toMatchObject({ role: "baseline", serviceVersion: "1.0.0", queueName: "jobs", serviceTime: DEFAULT_SERVICE_TIME, failureRatio: 0 });
  });

  it("defaults to a slow canary taking a fifth of the jobs", () => {
    expect(CanarySchema.parse({})).toMatchObject({ share: 0.2, fault: "slow" });
  });

  it("refuses a canary release when no canary is configured", () => {
    expect(() => workerRelease(system(null), "canary")).toThrow(/no canary/);
  });
});

describe("the canary release's version and size", () => {
  it("is the baseline's version with -canary unless named", () => {
    expect(canaryVersionOf(system({}))).toBe("1.0.0-canary");
    expect(canaryVersionOf(system({ version: "1.1.0-rc.1" }))).toBe("1.1.0-rc.1");
    expect(canaryVersionOf(system(null))).toBeNull();
  });

  it.each([
    // baseline workers, share, explicit canary workers, canary workers = ceil(share × workers), at least 1
    [2, 0.2, undefined, 1],
    [10, 0.2, undefined, 2],
    [10, 0.25, undefined, 3],
    [2, 0, undefined, 1],
    [2, 0.2, 4, 4],
  ])("%d baseline workers at share %d (workers %s): %d canary workers", (workers, share, explicit, expected) => {
    expect(canaryWorkerCount(system({ share, workers: explicit }, workers))).toBe(expected);
  });
});
