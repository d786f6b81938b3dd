// The webhook dispatcher: leases due outbox rows, sends each signed request with a per-endpoint
// concurrency limit, logs every attempt, then schedules a retry with backoff or dead-letters it.
import type { Database } from "../../db/client";
import type { Logger } from "../../observability/logger";
import type { Metrics } from "../../observability/metrics";
import type { WebhookFormat } from "../core/events";
import { sendWebhookRequest, type Sender, type SendResult } from "./http-sender";
import { claimDueDeliveries, endpointsWithDueDeliveries, recordAttempt, type ClaimedDelivery, type DueEndpoint } from "../store/outbox-sql";
import { renderWebhookBody } from "../core/render";
import { describeOutcome, nextStep, type BackoffSettings } from "../core/retry-policy";
import { decryptSecret } from "../core/secret-box";
import { signWebhook } from "../core/signing";

export type DispatcherSettings = {
  timeoutMs: number;
  concurrencyPerEndpoint: number;
  allowPrivateNetworks: boolean;
  /** Base of the links in payloads (TAILGUARD_PUBLIC_URL). */
  externalUrl: string;
  /** How long a claimed row stays leased; must outlast the request timeout. */
  leaseMs?: number;
  maxExcerptBytes?: number;
  backoff?: BackoffSettings;
};

export type DispatcherOptions = {
  db: Database;
  logger: Logger;
  metrics?: Pick<Metrics, "webhookAttempts" | "webhookAttemptDuration">;
  /** Key the signing secrets are encrypted under (AppContext.sessionKey). */
  serverKey: string;
  settings: DispatcherSettings;
  now?: () => Date;
  random?: () => number;
  send?: Sender;
};

export type WebhookDispatcher = {
  /** Claims what is due for free slots and starts sending; returns how many rows it claimed. */
  tick(): Promise<number>;
  /** Waits for every send started so far to be recorded. */
  drain(): Promise<void>;
  /** tick() then drain(). */
  runOnce(): Promise<number>;
  inFlight(): number;
};

export function createWebhookDispatcher(opts: DispatcherOptions): WebhookDispatcher {
  const clock = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const send = opts.send ?? sendWebhookRequest;
  const s = opts.settings;
  const leaseMs = s.leaseMs ?? s.timeoutMs * 2 + 30_000;
  const log = opts.logger.child({ component: "webhooks" });
  const busy = new Map<string, number>();
  const running = new Set<Promise<void>>();

  async function attempt(endpoint: DueEndpoint, row: ClaimedDelivery): Promise<void> {
    const attemptNo = row.attempts + 1;
    const startedAt = clock();
    const result = await sendOne(endpoint, row, startedAt);
    const step = nextStep({ outcome: result.outcome, attempt: attemptNo, maxAttempts: endpoint.max_attempts, now: clock(), random, settings: s.backoff });
    const error = step.status === "delivered" ? null : step.status === "dead" ? step.reason : describeOutcome(result.outcome);
    const statusCode = result.outcome.kind === "response" ? result.outcome.statusCode : null;
    const kept = await recordAttempt(opts.db.sql, {
      deliveryId: row.id,
      lockedUntil: row.locked_until,
      startedAt,
      durationMs: result.durationMs,
      statusCode,
      error,
      excerpt: result.excerpt === null ? null : result.excerpt.replace(/\u0000/g, ""),
      status: step.status,
      attempts: attemptNo,
      nextAttemptAt: step.status === "pending" ? step.nextAttemptAt : null,
      deliveredAt: step.status === "delivered" ? clock() : null,
    });
    const outcome = step.status === "pending" ? "retry" : step.status;
    opts.metrics?.webhookAttempts.inc({ result: outcome });
    opts.metrics?.webhookAttemptDuration.observe(result.durationMs / 1000);
    const fields = { deliveryId: row.id, endpointId: endpoint.id, attempt: attemptNo, statusCode, result: outcome, durationMs: result.durationMs, ...(error ? { error } : {}) };
    if (!kept) log.warn("webhook lease expired before the attempt was recorded; another dispatcher owns the delivery now", fields);
    else if (step.status === "dead") log.warn("webhook delivery dead-lettered", fields);
    else log.info("webhook attempt", fields);
  }

  async function sendOne(endpoint: DueEndpoint, row: ClaimedDelivery, startedAt: Date): Promise<SendResult> {
    let secret: string;
    try {
      secret = decryptSecret(endpoint.secret_ciphertext, opts.serverKey);
    } catch {
      return { outcome: { kind: "refused", message: "cannot decrypt the signing secret (was the server key changed?); rotate the endpoint's secret" }, durationMs: 0, excerpt: null };
    }
    const body = renderWebhookBody({ event: row.payload, format: endpoint.format as WebhookFormat, receiver: endpoint.name, externalUrl: s.externalUrl });
    const headers = signWebhook({ id: row.id, timestampS: Math.floor(startedAt.getTime() / 1000), body, secret });
    return send({ url: endpoint.url, headers, body, timeoutMs: s.timeoutMs, maxExcerptBytes: s.maxExcerptBytes ?? 4096, allowPrivateNetworks: s.allowPrivateNetworks });
  }

  function start(endpoint: DueEndpoint, row: ClaimedDelivery): void {
    busy.set(endpoint.id, (busy.get(endpoint.id) ?? 0) + 1);
    const p: Promise<void> = attempt(endpoint, row)
      .catch((err: unknown) => log.error("webhook attempt could not be recorded; it will be retried when its lease expires", { deliveryId: row.id, err }))
      .finally(() => {
        busy.set(endpoint.id, (busy.get(endpoint.id) ?? 1) - 1);
        running.delete(p);
      });
    running.add(p);
  }

  async function tick(): Promise<number> {
    const now = clock();
    let claimed = 0;
    for (const endpoint of await endpointsWithDueDeliveries(opts.db.sql, now)) {
      const free = s.concurrencyPerEndpoint - (busy.get(endpoint.id) ?? 0);
      if (free <= 0) continue;
      const rows = await claimDueDeliveries(opts.db.sql, { endpointId: endpoint.id, now, lockedUntil: new Date(now.getTime() + leaseMs), limit: free });
      for (const row of rows) start(endpoint, row);
      claimed += rows.length;
    }
    return claimed;
  }

  async function drain(): Promise<void> {
    while (running.size > 0) await Promise.all([...running]);
  }

  return {
    tick,
    drain,
    async runOnce() {
      const n = await tick();
      await drain();
      return n;
    },
    inFlight: () => running.size,
  };
}
