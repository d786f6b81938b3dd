// The outbox as the console and API see it: deliveries with their attempts, redelivery of one
// delivery, and test events sent to one endpoint.
import { randomUUID } from "node:crypto";
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { DomainError } from "../../errors";
import type { WebhookDeliveryView } from "../core/endpoint-schemas";
import type { WebhookEvent } from "../core/events";

export type DeliveryFilter = { id?: string; status?: "pending" | "delivered" | "dead"; endpointId?: string; limit?: number };

export async function listWebhookDeliveries(db: Database, filter: DeliveryFilter = {}): Promise<WebhookDeliveryView[]> {
  const rows = await db.prisma.webhookDelivery.findMany({
    where: { id: filter.id, status: filter.status, endpointId: filter.endpointId },
    orderBy: { createdAt: "desc" },
    take: filter.limit ?? 50,
    include: { endpoint: { select: { name: true } }, attemptLog: { orderBy: { id: "asc" } } },
  });
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpointId,
    endpointName: r.endpoint.name,
    eventType: r.eventType,
    eventKey: r.eventKey,
    summary: String((r.payload as { summary?: unknown } | null)?.summary ?? ""),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    attemptLog: r.attemptLog.map((a) => ({ startedAt: a.startedAt.toISOString(), durationMs: a.durationMs, statusCode: a.statusCode, error: a.error, responseExcerpt: a.responseExcerpt })),
  }));
}

/** Puts a delivery back in the queue with a fresh attempt budget; it keeps its webhook-id, so receivers can still deduplicate. */
export async function redeliverWebhook(ctx: ServiceContext, id: string, now = new Date()): Promise<WebhookDeliveryView> {
  await ctx.db.prisma.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.findUnique({ where: { id }, select: { status: true, endpointId: true } });
    if (!row) throw new DomainError("not_found", `no webhook delivery ${id}`);
    if (row.status === "pending") throw new DomainError("conflict", "this delivery is still queued; it will be attempted again without a redelivery");
    await tx.webhookDelivery.update({ where: { id }, data: { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null, deliveredAt: null } });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.redeliver", targetType: "webhook_delivery", targetId: id, details: { endpointId: row.endpointId, previousStatus: row.status }, requestId: ctx.requestId });
  });
  const [view] = await listWebhookDeliveries(ctx.db, { id });
  if (!view) throw new DomainError("not_found", `no webhook delivery ${id}`);
  return view;
}

export function testEvent(options: { endpointName: string; actorName: string; now: Date }): WebhookEvent {
  const at = options.now.toISOString();
  return {
    key: `test:${randomUUID()}`,
    type: "webhook.test",
    status: "firing",
    occurredAt: at,
    name: "TailguardWebhookTest",
    service: null,
    severity: "info",
    summary: "Test event from Tailguard",
    description: `Sent by ${options.actorName} to check the endpoint ${options.endpointName}; no action is needed.`,
    startsAt: at,
    endsAt: null,
    labels: { test: "true" },
    links: { console: "/alerts" },
  };
}

export async function sendWebhookTest(ctx: ServiceContext, endpointId: string, now = new Date()): Promise<{ deliveryId: string }> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { name: true, enabled: true } });
    if (!endpoint) throw new DomainError("not_found", `no webhook endpoint ${endpointId}`);
    if (!endpoint.enabled) throw new DomainError("conflict", "the endpoint is disabled; enable it to send a test event");
    const event = testEvent({ endpointName: endpoint.name, actorName: ctx.actor.name, now });
    const row = await tx.webhookDelivery.create({ data: { endpointId, eventType: event.type, eventKey: event.key, payload: event as unknown as Prisma.InputJsonValue, nextAttemptAt: now } });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.test", targetType: "webhook_endpoint", targetId: endpointId, details: { deliveryId: row.id }, requestId: ctx.requestId });
    return { deliveryId: row.id };
  });
}
