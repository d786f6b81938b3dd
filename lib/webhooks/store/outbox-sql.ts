// The dispatcher's SQL over the outbox: which endpoints have due work, claiming due rows with a
// lease (FOR UPDATE SKIP LOCKED, so replicas never claim the same row), and recording an attempt.
import type { SqlRunner } from "../../db/sql-runner";
import type { WebhookEvent } from "../core/events";

export type DueEndpoint = { id: string; name: string; url: string; secret_ciphertext: string; format: string; max_attempts: number };
export type ClaimedDelivery = { id: string; endpoint_id: string; payload: WebhookEvent; attempts: number; locked_until: Date };

export async function endpointsWithDueDeliveries(sql: SqlRunner, now: Date, limit = 200): Promise<DueEndpoint[]> {
  return sql.query<DueEndpoint>(
    `SELECT e.id, e.name, e.url, e.secret_ciphertext, e.format, e.max_attempts
     FROM webhook_endpoints e
     WHERE e.enabled AND EXISTS (
       SELECT 1 FROM webhook_deliveries d
       WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.locked_until IS NULL OR d.locked_until < $1))
     ORDER BY e.id LIMIT $2`,
    [now, limit],
  );
}

/** Leases up to `limit` due deliveries of one endpoint until `lockedUntil`, oldest due first. */
export async function claimDueDeliveries(sql: SqlRunner, options: { endpointId: string; now: Date; lockedUntil: Date; limit: number }): Promise<ClaimedDelivery[]> {
  const rows = await sql.query<ClaimedDelivery>(
    `UPDATE webhook_deliveries SET locked_until = $2
     WHERE id IN (
       SELECT id FROM webhook_deliveries
       WHERE endpoint_id = $3 AND status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
       ORDER BY next_attempt_at, created_at
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING id, endpoint_id, payload, attempts, locked_until`,
    [options.now, options.lockedUntil, options.endpointId, options.limit],
  );
  return rows.map((r) => ({ ...r, payload: typeof r.payload === "string" ? (JSON.parse(r.payload) as WebhookEvent) : r.payload }));
}

export type AttemptRecord = {
  deliveryId: string;
  /** The lease this attempt was made under; a row leased again by someone else is left alone. */
  lockedUntil: Date;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
};

/** Logs the attempt and moves the delivery on, in one transaction; false when the lease was lost. */
export async function recordAttempt(sql: SqlRunner, a: AttemptRecord): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO webhook_attempts (delivery_id, started_at, duration_ms, status_code, error, response_excerpt) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.deliveryId, a.startedAt, a.durationMs, a.statusCode, a.error, a.excerpt],
    );
    const updated = await tx.query(
      `UPDATE webhook_deliveries
       SET status = $3, attempts = $4, next_attempt_at = COALESCE($5, next_attempt_at), locked_until = NULL,
           last_status_code = $6, last_error = $7, delivered_at = $8
       WHERE id = $1 AND locked_until = $2
       RETURNING id`,
      [a.deliveryId, a.lockedUntil, a.status, a.attempts, a.nextAttemptAt, a.statusCode, a.error, a.deliveredAt],
    );
    return updated.length === 1;
  });
}
