import { describe, expect, it } from "vitest";
import { seededRandom } from "../../lib/random/seeded";
import { meanServiceTimeMs, sampleServiceTimeMs, scaleServiceTime, type ServiceTime } from "./service-time";

function samples(spec: ServiceTime, n: number): number[] {
  const random = seededRandom(42);
  return Array.from({ length: n }, () => sampleServiceTimeMs(spec, random)).sort((a, b) => a - b);
}

describe("sampleServiceTimeMs", () => {
  it("fixed is fixed", () => {
    expect(samples({ distribution: "fixed", ms: 80 }, 3)).toEqual([80, 80, 80]);
  });

  it("log-normal samples have the configured median and the analytic mean", () => {
    const spec: ServiceTime = { distribution: "lognormal", medianMs: 100, sigma: 0.5 };
    const xs = samples(spec, 20_000);
    expect(xs[10_000]).toBeGreaterThan(95);
    expect(xs[10_000]).toBeLessThan(105);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean / meanServiceTimeMs(spec)).toBeGreaterThan(0.97);
    expect(mean / meanServiceTimeMs(spec)).toBeLessThan(1.03);
  });

  it("exponential samples have the configured mean and are never negative", () => {
    const xs = samples({ distribution: "exponential", meanMs: 50 }, 20_000);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(48);
    expect(mean).toBeLessThan(52);
    expect(xs[0]).toBeGreaterThanOrEqual(0);
  });
});

describe("scaleServiceTime", () => {
  it.each<[ServiceTime, number]>([
    [{ distribution: "fixed", ms: 80 }, 200],
    [{ distribution: "exponential", meanMs: 50 }, 125],
    [{ distribution: "lognormal", medianMs: 120, sigma: 0.4 }, 2.5 * 120 * Math.exp(0.08)],
  ])("%j × 2.5 has a mean of %d ms, and every sample from the same draws is 2.5× the unscaled one", (spec, meanMs) => {
    const scaled = scaleServiceTime(spec, 2.5);
    expect(meanServiceTimeMs(scaled)).toBeCloseTo(meanMs, 6);
    expect(samples(scaled, 50).map((x) => x / 2.5)).toEqual(samples(spec, 50).map((x) => expect.closeTo(x, 6)));
  });
});
