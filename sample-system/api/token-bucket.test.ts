import { describe, expect, it } from "vitest";
import { ClientRateLimiter, takeToken, type TokenBucketState } from "./token-bucket";

const policy = { ratePerS: 2, burst: 3 };

describe("takeToken", () => {
  it("starts full and allows a burst of `burst` requests at one instant", () => {
    let state: TokenBucketState | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = takeToken(policy, state, 1000);
      allowed.push(r.allowed);
      state = r.state;
    }
    expect(allowed).toEqual([true, true, true, false]);
  });

  it.each([
    // tokens left, ms elapsed, allowed, retryAfterMs (2 tokens/s → one token per 500 ms)
    [0, 0, false, 500],
    [0, 250, false, 250],
    [0, 500, true, undefined],
    [0.5, 0, false, 250],
    [2.9, 10_000, true, undefined],
  ])("with %d tokens after %d ms: allowed=%s retryAfter=%s", (tokens, elapsedMs, allowed, retryAfterMs) => {
    const r = takeToken(policy, { tokens, updatedAtMs: 0 }, elapsedMs);
    expect(r.allowed).toBe(allowed);
    if (!r.allowed) expect(r.retryAfterMs).toBe(retryAfterMs);
  });

  it("never refills above the burst size", () => {
    const r = takeToken(policy, { tokens: 0, updatedAtMs: 0 }, 3_600_000);
    expect(r.state.tokens).toBe(2);
  });
});

describe("ClientRateLimiter", () => {
  it("keeps one bucket per client", () => {
    const limiter = new ClientRateLimiter({ ratePerS: 1, burst: 1 });
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("a", 0).allowed).toBe(false);
    expect(limiter.take("b", 0).allowed).toBe(true);
  });

  it("forgets the least recently used client beyond its bound", () => {
    const limiter = new ClientRateLimiter({ ratePerS: 1, burst: 1 }, 2);
    limiter.take("a", 0);
    limiter.take("b", 0);
    limiter.take("c", 0); // evicts "a": a fresh bucket again
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("c", 0).allowed).toBe(false);
  });
});
