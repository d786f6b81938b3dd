// Login throttling as pure state transitions: each key (an account or a client address) has an allowance
// of attempts; spending it locks the key, and every further failure doubles the lock.
//
// An attempt is charged when admitted, before the password is checked, so a burst of parallel guesses
// cannot outrun the count; a success gives the charge back (an address) or clears the key (an account),
// so successful logins never count against anyone.

export type ThrottlePolicy = {
  /** Failed attempts allowed before the first lock. */
  maxFailures: number;
  /** A key untouched this long after its last attempt (and its lock) starts afresh. */
  quietSeconds: number;
  firstLockSeconds: number;
  maxLockSeconds: number;
};

export type ThrottleState = {
  /** Attempts that may still be admitted before the key locks. */
  remaining: number;
  /** Locks since the key last started afresh; the next lock lasts firstLock × 2^lockouts. */
  lockouts: number;
  lockedUntil: Date | null;
  lastAttemptAt: Date;
};

export type Admission = { ok: true; state: ThrottleState } | { ok: false; retryAfterS: number };

export function freshState(policy: ThrottlePolicy, now: Date): ThrottleState {
  return { remaining: policy.maxFailures, lockouts: 0, lockedUntil: null, lastAttemptAt: now };
}

/** Lock length for the n-th lock (n ≥ 1): firstLock, doubled each time, capped. */
export function lockSeconds(policy: ThrottlePolicy, n: number): number {
  return Math.min(policy.maxLockSeconds, policy.firstLockSeconds * 2 ** Math.max(0, n - 1));
}

function forgetIfQuiet(state: ThrottleState | null, policy: ThrottlePolicy, now: Date): ThrottleState {
  if (!state) return freshState(policy, now);
  const lastMs = Math.max(state.lastAttemptAt.getTime(), state.lockedUntil?.getTime() ?? 0);
  return now.getTime() - lastMs >= policy.quietSeconds * 1000 ? freshState(policy, now) : state;
}

/** Before checking a password: refuse while locked or while in-flight attempts hold the whole allowance; else charge one. */
export function admitAttempt(state: ThrottleState | null, policy: ThrottlePolicy, now: Date): Admission {
  const s = forgetIfQuiet(state, policy, now);
  if (s.lockedUntil && s.lockedUntil.getTime() > now.getTime()) return { ok: false, retryAfterS: Math.max(1, Math.ceil((s.lockedUntil.getTime() - now.getTime()) / 1000)) };
  // Only parallel attempts of this key still being checked get here; they settle within a second.
  if (s.remaining <= 0) return { ok: false, retryAfterS: 1 };
  return { ok: true, state: { ...s, remaining: s.remaining - 1, lastAttemptAt: now } };
}

/** After a wrong password: a failure that found the allowance spent locks the key, each lock twice the last. */
export function settleFailure(state: ThrottleState, policy: ThrottlePolicy, now: Date): { state: ThrottleState; lockedForS: number | null } {
  if (state.lockedUntil && state.lockedUntil.getTime() > now.getTime()) return { state, lockedForS: null };
  if (state.remaining > 0) return { state, lockedForS: null };
  const lockouts = state.lockouts + 1;
  const seconds = lockSeconds(policy, lockouts);
  // After the lock one more attempt is allowed; failing it locks again, for longer.
  return { state: { ...state, lockouts, remaining: 1, lockedUntil: new Date(now.getTime() + seconds * 1000) }, lockedForS: seconds };
}

/** After a right password: an account starts afresh; an address gets back the attempt it was charged. */
export function settleSuccess(state: ThrottleState, policy: ThrottlePolicy, scope: "account" | "address", now: Date): ThrottleState {
  if (scope === "account") return freshState(policy, now);
  return { ...state, remaining: Math.min(policy.maxFailures, state.remaining + 1) };
}
