// Runs an operation at most once per caller, Idempotency-Key and request body, across replicas: the
// key is claimed by an atomic insert (the primary key decides a race), the result stored for 24 h.
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import { DomainError } from "../../errors";
import { bodyFingerprint, callerNamespace, IDEMPOTENCY_STALE_CLAIM_MS, IDEMPOTENCY_TTL_MS, judgeStoredKey, parseIdempotencyKey, type StoredKey } from "./idempotency";

export type IdempotentCall = {
  /** Names the operation, so one key may be used with two different operations. */
  operation: string;
  req: Request;
  /** The parsed (validated, defaulted) body: equal requests fingerprint alike whatever their key order. */
  body: unknown;
  now?: () => Date;
  /** How long a duplicate waits for the first request to finish before 409. */
  waitMs?: number;
};

/**
 * Runs `run` unless this caller already sent this key: then its stored result (`replayed: true`), or 422
 * for another body. `run` must return a JSON object (it is stored as jsonb and replayed from there).
 */
export async function idempotent<T>(ctx: ServiceContext, call: IdempotentCall, run: (key: string | null) => Promise<T>): Promise<{ value: T; replayed: boolean }> {
  const header = parseIdempotencyKey(call.req.headers.get("idempotency-key"));
  if (!header.ok) throw new DomainError("invalid", header.reason, [{ path: "header.Idempotency-Key", message: header.reason }]);
  if (header.key === null) return { value: await run(null), replayed: false };
  const key = { operation: call.operation, caller: callerNamespace(ctx.actor), key: header.key };
  return runOnce(ctx.db, { ...key, fingerprint: bodyFingerprint(call.body), now: call.now ?? (() => new Date()), waitMs: call.waitMs ?? 10_000 }, () => run(header.key));
}

type KeyId = { operation: string; caller: string; key: string };

export async function runOnce<T>(db: Database, k: KeyId & { fingerprint: string; now: () => Date; waitMs: number }, run: () => Promise<T>): Promise<{ value: T; replayed: boolean }> {
  const deadline = k.now().getTime() + k.waitMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const now = k.now();
    const claimedAt = await claim(db, k, now);
    if (claimedAt) {
      let value: T;
      try {
        value = await run();
      } catch (err) {
        // Failed requests leave nothing behind: a retry with the same key runs afresh.
        await db.sql.query(`DELETE FROM idempotency_keys WHERE operation = $1 AND caller = $2 AND key = $3 AND result IS NULL AND created_at = $4::timestamptz`, [k.operation, k.caller, k.key, claimedAt.toISOString()]);
        throw err;
      }
      await db.sql.query(`UPDATE idempotency_keys SET result = $5::jsonb WHERE operation = $1 AND caller = $2 AND key = $3 AND created_at = $4::timestamptz`, [k.operation, k.caller, k.key, claimedAt.toISOString(), JSON.stringify(value)]);
      return { value, replayed: false };
    }
    const verdict = judgeStoredKey(await readKey(db, k), k.fingerprint, now);
    if (verdict.kind === "replay") return { value: verdict.result as T, replayed: true };
    if (verdict.kind === "reused") {
      throw new DomainError(
        "unprocessable",
        "this Idempotency-Key was already used with a different request body; send a new key for a new request",
        { reason: "the body's fingerprint differs from the one the key was first used with" },
        "idempotency_key_reused",
      );
    }
    if (now.getTime() >= deadline) throw new DomainError("conflict", "a request with this Idempotency-Key is still being processed; retry in a moment");
    // In progress: wait for the first request; claimable: the record expired or was released meanwhile, claim again.
    await new Promise((r) => setTimeout(r, verdict.kind === "in_progress" ? pause : 1));
  }
}

/** Inserts the key, or takes over an expired or abandoned record; returns the claim's time, or null when another holds the key. */
async function claim(db: Database, k: KeyId & { fingerprint: string }, now: Date): Promise<Date | null> {
  const rows = await db.sql.query<{ created_at: Date }>(
    `INSERT INTO idempotency_keys (operation, caller, key, fingerprint, result, created_at, expires_at)
     VALUES ($1, $2, $3, $4, NULL, $5::timestamptz, $6::timestamptz)
     ON CONFLICT (operation, caller, key) DO UPDATE
       SET fingerprint = EXCLUDED.fingerprint, result = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
          OR (idempotency_keys.result IS NULL AND idempotency_keys.created_at <= $7::timestamptz)
     RETURNING created_at`,
    [k.operation, k.caller, k.key, k.fingerprint, now.toISOString(), new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(), new Date(now.getTime() - IDEMPOTENCY_STALE_CLAIM_MS).toISOString()],
  );
  return rows[0] ? new Date(rows[0].created_at) : null;
}

async function readKey(db: Database, k: KeyId): Promise<StoredKey | null> {
  const rows = await db.sql.query<{ fingerprint: string; result: unknown; created_at: Date; expires_at: Date }>(
    `SELECT fingerprint, result, created_at, expires_at FROM idempotency_keys WHERE operation = $1 AND caller = $2 AND key = $3`,
    [k.operation, k.caller, k.key],
  );
  const row = rows[0];
  return row ? { fingerprint: row.fingerprint, result: row.result, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) } : null;
}

/** Retention: removes expired keys (the engine's control-plane retention job calls this). */
export async function deleteExpiredIdempotencyKeys(db: Database, now: Date): Promise<number> {
  return (await db.prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
