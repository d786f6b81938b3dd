// Load shedding at the front door: 503 + Retry-After once the queue backlog reaches its limit.
export type BackpressureDecision = { shed: false } | { shed: true; retryAfterS: number };

/**
 * `drainRatePerS` is the recent completion rate; by Little's law the backlog clears in about
 * backlog / drain seconds, which is the honest Retry-After (clamped to 1–60 s).
 */
export function decideBackpressure(options: { backlog: number; backlogLimit: number; drainRatePerS: number }): BackpressureDecision {
  const { backlog, backlogLimit, drainRatePerS } = options;
  if (backlog < backlogLimit) return { shed: false };
  const excess = backlog - backlogLimit + 1;
  const retryAfterS = drainRatePerS > 0 ? Math.ceil(excess / drainRatePerS) : 60;
  return { shed: true, retryAfterS: Math.min(60, Math.max(1, retryAfterS)) };
}

/** Exponentially weighted completion rate, fed with completion counts as they happen. */
export class DrainRateMeter {
  private ratePerS = 0;
  private countSinceTick = 0;
  private lastTickMs: number;
  constructor(nowMs: number, private readonly halfLifeMs = 5000) {
    this.lastTickMs = nowMs;
  }
  recordCompletions(count: number): void {
    this.countSinceTick += count;
  }
  rate(nowMs: number): number {
    const elapsedMs = nowMs - this.lastTickMs;
    if (elapsedMs >= 250) {
      const instant = (this.countSinceTick * 1000) / elapsedMs;
      const keep = 0.5 ** (elapsedMs / this.halfLifeMs);
      this.ratePerS = keep * this.ratePerS + (1 - keep) * instant;
      this.countSinceTick = 0;
      this.lastTickMs = nowMs;
    }
    return this.ratePerS;
  }
}
