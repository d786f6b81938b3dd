import { describe, expect, it } from "vitest";
import { littlesLawWaitS, recommendCapacity, timeToBreachS } from "./queueing";

describe("littlesLawWaitS", () => {
  it.each([
    { backlog: 4100, completionRatePerS: 60, want: 4100 / 60 },
    { backlog: 0, completionRatePerS: 0, want: 0 },
    { backlog: 10, completionRatePerS: 0, want: null }, // nothing completes: unbounded
  ])("L=$backlog μ=$completionRatePerS → W=$want", ({ want, ...o }) => expect(littlesLawWaitS(o)).toBe(want));
});

describe("timeToBreachS", () => {
  // μ = 60/s, T = 300 s, S = 0 → breach backlog L* = 18,000.
  const base = { completionRatePerS: 60, serviceTimeMs: 0, sloThresholdMs: 300_000 };
  it.each([
    { backlog: 4_000, backlogGrowthPerS: 25, want: 560 }, // (18000 − 4000) / 25
    { backlog: 18_000, backlogGrowthPerS: 25, want: 0 },
    { backlog: 20_000, backlogGrowthPerS: -5, want: 0 }, // already past, even while draining
    { backlog: 4_000, backlogGrowthPerS: 0, want: null },
  ])("L=$backlog g=$backlogGrowthPerS → $want s", ({ want, ...o }) => expect(timeToBreachS({ ...base, ...o })).toBe(want));

  it("subtracts the service time from the budget: S = 60 s leaves L* = 60 · 240 = 14,400", () => {
    expect(timeToBreachS({ ...base, serviceTimeMs: 60_000, backlog: 14_000, backlogGrowthPerS: 10 })).toBe(40);
  });
});

describe("recommendCapacity", () => {
  // 200 ms per job and 1 slot → 5 jobs/s per worker.
  const base = { serviceTimeMs: 200, slotsPerWorker: 1, drainMinutes: 10, targetUtilisation: 1 };
  it.each([
    { arrivalRatePerS: 50, backlog: 0, want: 10 }, // 50 / 5
    { arrivalRatePerS: 50, backlog: 3000, want: 11 }, // (50 + 3000/600) / 5 = 11
    { arrivalRatePerS: 50, backlog: 3001, want: 12 }, // just over → round up
    { arrivalRatePerS: 85, backlog: 4100, want: 19 }, // (85 + 6.83) / 5 = 18.4
    { arrivalRatePerS: 0, backlog: 0, want: 1 }, // never recommend zero workers
  ])("λ=$arrivalRatePerS backlog=$backlog → $want", ({ want, ...o }) => expect(recommendCapacity({ ...base, ...o })).toBe(want));

  it("keeps steady-state headroom: 50/s at 80 % target needs 50 / (5 · 0.8) = 12.5 → 13", () => {
    expect(recommendCapacity({ ...base, targetUtilisation: 0.8, arrivalRatePerS: 50, backlog: 0 })).toBe(13);
  });

  it("counts slots: 4 slots of 2 s → 2 jobs/s per worker; 10/s → 5 workers", () => {
    expect(recommendCapacity({ ...base, serviceTimeMs: 2000, slotsPerWorker: 4, arrivalRatePerS: 10, backlog: 0 })).toBe(5);
  });

  it("is null without a usable service time", () => {
    expect(recommendCapacity({ ...base, serviceTimeMs: 0, arrivalRatePerS: 10, backlog: 0 })).toBeNull();
  });
});
