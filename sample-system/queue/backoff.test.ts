import { describe, expect, it } from "vitest";
import { AGGRESSIVE_RETRY_POLICY, NORMAL_RETRY_POLICY, backoffCeilingMs, backoffDelayMs, decideRetry } from "./backoff";

describe("backoff schedule", () => {
  it.each([
    // next attempt, ceiling ms (base 500, doubling, capped at 10 s)
    [2, 500],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [6, 8000],
    [7, 10_000],
    [12, 10_000],
  ])("attempt %d waits at most %d ms", (attempt, ceiling) => {
    expect(backoffCeilingMs(NORMAL_RETRY_POLICY, attempt)).toBe(ceiling);
  });

  it.each([
    [0, 500],
    [0.5, 750],
    [1, 1000],
  ])("equal jitter with random %d before attempt 3 gives %d ms", (random01, delay) => {
    expect(backoffDelayMs(NORMAL_RETRY_POLICY, 3, random01)).toBe(delay);
  });

  it("the aggressive policy retries every 50 ms without jitter", () => {
    expect([2, 3, 7].map((a) => backoffDelayMs(AGGRESSIVE_RETRY_POLICY, a, Math.random()))).toEqual([50, 50, 50]);
  });
});

describe("decideRetry", () => {
  it.each([
    [1, false, { action: "retry", nextAttempt: 2, delayMs: 500 }],
    [3, false, { action: "retry", nextAttempt: 4, delayMs: 2000 }],
    [4, false, { action: "dead-letter", reason: "gave up after 4 attempts" }],
    [1, true, { action: "dead-letter", reason: "permanent failure" }],
  ])("after attempt %d (permanent=%s)", (attempt, permanent, decision) => {
    expect(decideRetry({ policy: NORMAL_RETRY_POLICY, attempt, permanent, random01: 1 })).toEqual(decision);
  });
});
