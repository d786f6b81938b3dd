import { describe, expect, it } from "vitest";
import { jitteredTtlMs } from "./ttl-jitter";

describe("jitteredTtlMs", () => {
  it.each([
    // base, jitter ratio, random, ttl
    [60_000, 0.2, 0, 48_000],
    [60_000, 0.2, 0.5, 60_000],
    [60_000, 0.2, 1, 72_000],
    [60_000, 0, 0.9, 60_000],
    [10, 1, 0, 1],
  ])("base %d ms ±%d with random %d → %d ms", (baseTtlMs, jitterRatio, random01, ttl) => {
    expect(jitteredTtlMs({ baseTtlMs, jitterRatio, random01 })).toBe(ttl);
  });
});
