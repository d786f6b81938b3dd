// Login throttle state in the database, so every replica sees the same counts: each change reads the
// rows under a row lock (SELECT … FOR UPDATE) inside one transaction and writes the pure transition back.
import type { Database } from "../../db/client";
import type { SqlRunner } from "../../db/sql-runner";
import { admitAttempt, freshState, settleFailure, settleSuccess, type ThrottlePolicy, type ThrottleState } from "../core/login-throttle";

export type ThrottleKey = { scope: "account" | "address"; key: string; policy: ThrottlePolicy };
export type LockStarted = { scope: ThrottleKey["scope"]; key: string; lockedForS: number; lockouts: number };

type Row = { remaining: number; lockouts: number; locked_until: Date | null; last_attempt_at: Date };

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (limitKey: string) => `address:${limitKey}`;

/** Charges one attempt to every key, or to none when any of them refuses (locked); keys are locked in the order given. */
export async function admitLogin(db: Database, keys: ThrottleKey[], now: Date): Promise<{ ok: true } | { ok: false; retryAfterS: number; scope: ThrottleKey["scope"] }> {
  return db.sql.transaction(async (tx) => {
    const next: ThrottleState[] = [];
    for (const k of keys) {
      const admitted = admitAttempt(await lockRow(tx, k, now), k.policy, now);
      if (!admitted.ok) return { ok: false as const, retryAfterS: admitted.retryAfterS, scope: k.scope };
      next.push(admitted.state);
    }
    for (const [i, k] of keys.entries()) await writeRow(tx, k.key, next[i]!);
    return { ok: true as const };
  });
}

/** Settles an admitted attempt: a failure may start a lock (returned), a success gives back or clears the charge. */
export async function settleLogin(db: Database, keys: ThrottleKey[], outcome: "success" | "failure", now: Date): Promise<LockStarted[]> {
  return db.sql.transaction(async (tx) => {
    const locks: LockStarted[] = [];
    for (const k of keys) {
      const state = (await lockRow(tx, k, now)) ?? freshState(k.policy, now);
      if (outcome === "success") {
        await writeRow(tx, k.key, settleSuccess(state, k.policy, k.scope, now));
        continue;
      }
      const settled = settleFailure(state, k.policy, now);
      await writeRow(tx, k.key, settled.state);
      if (settled.lockedForS !== null) locks.push({ scope: k.scope, key: k.key, lockedForS: settled.lockedForS, lockouts: settled.state.lockouts });
    }
    return locks;
  });
}

/** The key's state under a row lock, or null for a key never seen (its row is created so the lock holds). */
async function lockRow(tx: SqlRunner, k: ThrottleKey, now: Date): Promise<ThrottleState | null> {
  const inserted = await tx.query(
    `INSERT INTO login_throttles (key, remaining, lockouts, locked_until, last_attempt_at) VALUES ($1, $2, 0, NULL, $3::timestamptz)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [k.key, k.policy.maxFailures, now.toISOString()],
  );
  const [row] = await tx.query<Row>(`SELECT remaining, lockouts, locked_until, last_attempt_at FROM login_throttles WHERE key = $1 FOR UPDATE`, [k.key]);
  if (inserted.length > 0 || !row) return null;
  return { remaining: row.remaining, lockouts: row.lockouts, lockedUntil: row.locked_until ? new Date(row.locked_until) : null, lastAttemptAt: new Date(row.last_attempt_at) };
}

async function writeRow(tx: SqlRunner, key: string, s: ThrottleState): Promise<void> {
  await tx.query(`UPDATE login_throttles SET remaining = $2, lockouts = $3, locked_until = $4::timestamptz, last_attempt_at = $5::timestamptz WHERE key = $1`, [
    key,
    s.remaining,
    s.lockouts,
    s.lockedUntil?.toISOString() ?? null,
    s.lastAttemptAt.toISOString(),
  ]);
}

/** Retention: forgets keys idle for a day after their last attempt and lock (the engine's control-plane retention job). */
export async function deleteIdleLoginThrottles(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const rows = await db.sql.query(`DELETE FROM login_throttles WHERE last_attempt_at < $1::timestamptz AND (locked_until IS NULL OR locked_until < $1::timestamptz) RETURNING key`, [before]);
  return rows.length;
}
