// Runtime fault knobs: the settings a scenario turns to inject a fault, shared by API and workers.
import { z } from "zod";

export const FaultKnobsSchema = z.object({
  /** Multiplies every inference service time (gpu-slowdown). */
  serviceTimeFactor: z.number().min(0.1).max(100),
  /** Share of downstream (feature-store) calls that fail transiently (flaky-downstream). */
  downstreamFailureRatio: z.number().min(0).max(1),
  retryPolicy: z.enum(["normal", "aggressive"]),
  /** Connections each DB pool loses to a leak (db-pool-exhaustion). */
  dbConnectionsLeaked: z.number().int().min(0),
  /** Overrides the cache TTL; null keeps the configured one. */
  cacheTtlMs: z.number().int().positive().nullable(),
  /** TTL jitter and single-flight for identical inputs; off during cache-stampede. */
  cacheStampedeProtection: z.boolean(),
  /** Incremented to flush every cache once (cache-stampede). */
  cacheFlushGeneration: z.number().int().min(0),
  /** Share of new jobs the API routes to the canary workers, when there are any (canary). */
  canaryShare: z.number().min(0).max(1),
});
export type FaultKnobs = z.infer<typeof FaultKnobsSchema>;

export const HEALTHY_KNOBS: FaultKnobs = {
  serviceTimeFactor: 1,
  downstreamFailureRatio: 0,
  retryPolicy: "normal",
  dbConnectionsLeaked: 0,
  cacheTtlMs: null,
  cacheStampedeProtection: true,
  cacheFlushGeneration: 0,
  canaryShare: 0,
};

/** Holds the current knobs and tells subscribers when they change (GPU pool, DB pools, cache). */
export class KnobBoard {
  private current: FaultKnobs = { ...HEALTHY_KNOBS };
  private readonly listeners = new Set<(knobs: FaultKnobs, previous: FaultKnobs) => void>();

  get(): FaultKnobs {
    return this.current;
  }

  set(next: Partial<FaultKnobs>): void {
    const previous = this.current;
    this.current = FaultKnobsSchema.parse({ ...previous, ...next });
    for (const listener of this.listeners) listener(this.current, previous);
  }

  subscribe(listener: (knobs: FaultKnobs, previous: FaultKnobs) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
