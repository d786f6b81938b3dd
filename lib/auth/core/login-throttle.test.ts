import { describe, expect, it } from "vitest";
import { admitAttempt, lockSeconds, settleFailure, settleSuccess, type ThrottlePolicy, type ThrottleState } from "./login-throttle";

const POLICY: ThrottlePolicy = { maxFailures: 5, quietSeconds: 900, firstLockSeconds: 30, maxLockSeconds: 900 };
const T0 = Date.parse("2026-11-20T12:00:00Z");

describe("lockSeconds", () => {
  // 30 · 2^(n−1): 30, 60, 120, 240, 480, then 960 is over the 900 s cap.
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 480],
    [6, 900],
    [20, 900],
  ])("lock %i lasts %i s", (n, seconds) => {
    expect(lockSeconds(POLICY, n)).toBe(seconds);
  });
});

type Step = [atS: number, attempt: "wrong" | "right"];

/** Plays attempts one after another (each settled before the next) and says what each was answered. */
function play(steps: Step[], scope: "account" | "address" = "account"): string[] {
  let state: ThrottleState | null = null;
  return steps.map(([atS, attempt]) => {
    const now = new Date(T0 + atS * 1000);
    const admitted = admitAttempt(state, POLICY, now);
    if (!admitted.ok) return `429 ${admitted.retryAfterS}s`;
    if (attempt === "right") {
      state = settleSuccess(admitted.state, POLICY, scope, now);
      return "200";
    }
    const settled = settleFailure(admitted.state, POLICY, now);
    state = settled.state;
    return settled.lockedForS === null ? "401" : `locked ${settled.lockedForS}s`;
  });
}

const wrong = (atS: number): Step => [atS, "wrong"];
const right = (atS: number): Step => [atS, "right"];

describe("login throttle, attempt by attempt", () => {
  it("locks on the 5th failure and refuses even the right password until the lock ends", () => {
    // 5th failure at t=4 s locks until t=34 s; at t=5 that is 29 s away, at t=33 1 s.
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), wrong(4), right(5), wrong(33)])).toEqual(["401", "401", "401", "401", "locked 30s", "429 29s", "429 1s"]);
  });

  it("doubles the lock for each failure after a lock, and a success starts the account afresh", () => {
    // Locks: t=4 → 34 (30 s); t=34 → 94 (60 s); t=94 → 214 (120 s). Right password at 214 clears all.
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), wrong(4), wrong(34), wrong(94), right(214), wrong(215)])).toEqual([
      "401", "401", "401", "401", "locked 30s", "locked 60s", "locked 120s", "200", "401",
    ]);
  });

  it("forgets failures after a quiet period measured from the end of the last lock", () => {
    // Four failures, then 900 s without any: the fifth counts as the first of a new run.
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), wrong(903), wrong(904)])).toEqual(["401", "401", "401", "401", "401", "401"]);
    // Locked at t=4 until 34: quiet from 34, so t=933 still follows the lock (60 s), t=34+60+900=994 is afresh.
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), wrong(4), wrong(933)])).toEqual(["401", "401", "401", "401", "locked 30s", "locked 60s"]);
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), wrong(4), wrong(934)])).toEqual(["401", "401", "401", "401", "locked 30s", "401"]);
  });

  it("never counts successes against an address, and does not let them erase its failures", () => {
    const successes = Array.from({ length: 30 }, (_, i) => right(10 + i));
    expect(play([wrong(0), wrong(1), wrong(2), wrong(3), ...successes, wrong(50)], "address")).toEqual(["401", "401", "401", "401", ...successes.map(() => "200"), "locked 30s"]);
    expect(play(Array.from({ length: 50 }, (_, i) => right(i)), "address").every((r) => r === "200")).toBe(true);
  });

  it("charges attempts when admitted, so parallel attempts cannot exceed the allowance", () => {
    let state: ThrottleState | null = null;
    const now = new Date(T0);
    const answers = Array.from({ length: 7 }, () => {
      const a = admitAttempt(state, POLICY, now);
      if (a.ok) state = a.state;
      return a.ok ? "admitted" : `429 ${a.retryAfterS}s`;
    });
    expect(answers).toEqual(["admitted", "admitted", "admitted", "admitted", "admitted", "429 1s", "429 1s"]);
  });
});
