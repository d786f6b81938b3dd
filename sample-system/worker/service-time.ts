// Simulated inference service time: a configurable distribution sampled from a supplied random source.
import { z } from "zod";

export const ServiceTimeSchema = z.discriminatedUnion("distribution", [
  z.object({ distribution: z.literal("fixed"), ms: z.number().positive() }),
  z.object({ distribution: z.literal("exponential"), meanMs: z.number().positive() }),
  // Log-normal is the usual shape of inference latency: a body near the median and a long right tail.
  z.object({ distribution: z.literal("lognormal"), medianMs: z.number().positive(), sigma: z.number().min(0).max(3) }),
]);
export type ServiceTime = z.infer<typeof ServiceTimeSchema>;

export const DEFAULT_SERVICE_TIME: ServiceTime = { distribution: "lognormal", medianMs: 120, sigma: 0.4 };

/** Standard normal from two uniforms (Box–Muller). */
function standardNormal(random: () => number): number {
  const u1 = Math.max(Number.MIN_VALUE, random());
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
}

export function sampleServiceTimeMs(spec: ServiceTime, random: () => number): number {
  switch (spec.distribution) {
    case "fixed":
      return spec.ms;
    case "exponential":
      return -Math.log(Math.max(Number.MIN_VALUE, 1 - random())) * spec.meanMs;
    case "lognormal":
      return spec.medianMs * Math.exp(spec.sigma * standardNormal(random));
  }
}

/** The same distribution `factor` times slower (a slower release): every sample scales by `factor`. */
export function scaleServiceTime(spec: ServiceTime, factor: number): ServiceTime {
  switch (spec.distribution) {
    case "fixed":
      return { ...spec, ms: spec.ms * factor };
    case "exponential":
      return { ...spec, meanMs: spec.meanMs * factor };
    case "lognormal":
      return { ...spec, medianMs: spec.medianMs * factor };
  }
}

/** Mean service time, for capacity estimates (slots / mean = jobs per second). */
export function meanServiceTimeMs(spec: ServiceTime): number {
  switch (spec.distribution) {
    case "fixed":
      return spec.ms;
    case "exponential":
      return spec.meanMs;
    case "lognormal":
      return spec.medianMs * Math.exp((spec.sigma * spec.sigma) / 2);
  }
}

