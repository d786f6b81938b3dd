// A token bucket over requests per second (Alloy's faro.receiver limits the same way): bursts up to twice the
// rate pass, a sustained flood is answered 429 with the seconds until a token is back.

export class RequestRateLimit {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerS: number,
    readonly burst: number = Math.max(1, ratePerS * 2),
    nowMs = 0,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes one token at `nowMs`; when none is left, says how long until one is. */
  take(nowMs: number): { ok: true } | { ok: false; retryAfterS: number } {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, nowMs - this.lastMs) / 1000) * this.ratePerS);
    this.lastMs = Math.max(this.lastMs, nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerS)) };
  }
}
