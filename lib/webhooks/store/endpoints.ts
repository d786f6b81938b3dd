// Webhook endpoints in the database: create (the secret is returned once), list, update, delete
// and rotate the secret; every change is validated, URL-checked and audited in one transaction.
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import { DomainError } from "../../errors";
import type { WebhookEndpointInput, WebhookEndpointPatch, WebhookEndpointView } from "../core/endpoint-schemas";
import { resolveHost } from "../guard/resolve-host";
import { encryptSecret } from "../core/secret-box";
import { newWebhookSecret } from "../core/signing";
import { checkWebhookUrl, type ResolveHost } from "../guard/url-guard";

export type WebhookServiceContext = ServiceContext & { serverKey: string; allowPrivateNetworks: boolean; resolve?: ResolveHost };

type Row = { id: string; name: string; url: string; events: string[]; services: string[]; format: string; enabled: boolean; maxAttempts: number; createdAt: Date; updatedAt: Date };

export function endpointView(r: Row): WebhookEndpointView {
  return { id: r.id, name: r.name, url: r.url, events: r.events, services: r.services, format: r.format, enabled: r.enabled, maxAttempts: r.maxAttempts, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

async function checkUrl(ctx: WebhookServiceContext, url: string): Promise<void> {
  const r = await checkWebhookUrl(url, { allowPrivateNetworks: ctx.allowPrivateNetworks, resolve: ctx.resolve ?? resolveHost });
  if (!r.ok) throw new DomainError("invalid", `url: ${r.reason}`, [{ path: "body.url", message: r.reason }]);
}

export async function listWebhookEndpoints(db: Database): Promise<WebhookEndpointView[]> {
  return (await db.prisma.webhookEndpoint.findMany({ orderBy: { createdAt: "asc" } })).map(endpointView);
}

export async function createWebhookEndpoint(ctx: WebhookServiceContext, input: WebhookEndpointInput): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  await checkUrl(ctx, input.url);
  const secret = newWebhookSecret();
  const row = await ctx.db.prisma.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({ data: { ...input, secretCiphertext: encryptSecret(secret, ctx.serverKey) } });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.create", targetType: "webhook_endpoint", targetId: created.id, details: { name: input.name, url: input.url, events: input.events, services: input.services, format: input.format }, requestId: ctx.requestId });
    return created;
  });
  return { endpoint: endpointView(row), secret };
}

export async function updateWebhookEndpoint(ctx: WebhookServiceContext, id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointView> {
  if (patch.url !== undefined) await checkUrl(ctx, patch.url);
  return ctx.db.prisma.$transaction(async (tx) => {
    if (!(await tx.webhookEndpoint.findUnique({ where: { id }, select: { id: true } }))) throw new DomainError("not_found", `no webhook endpoint ${id}`);
    const row = await tx.webhookEndpoint.update({ where: { id }, data: patch });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.update", targetType: "webhook_endpoint", targetId: id, details: { changed: patch }, requestId: ctx.requestId });
    return endpointView(row);
  });
}

export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.prisma.$transaction(async (tx) => {
    const existing = await tx.webhookEndpoint.findUnique({ where: { id }, select: { name: true } });
    if (!existing) throw new DomainError("not_found", `no webhook endpoint ${id}`);
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.delete", targetType: "webhook_endpoint", targetId: id, details: { name: existing.name }, requestId: ctx.requestId });
  });
}

/** A new secret takes effect for the next attempt of every delivery, including ones already queued. */
export async function rotateWebhookSecret(ctx: WebhookServiceContext, id: string): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const secret = newWebhookSecret();
  const row = await ctx.db.prisma.$transaction(async (tx) => {
    if (!(await tx.webhookEndpoint.findUnique({ where: { id }, select: { id: true } }))) throw new DomainError("not_found", `no webhook endpoint ${id}`);
    const updated = await tx.webhookEndpoint.update({ where: { id }, data: { secretCiphertext: encryptSecret(secret, ctx.serverKey) } });
    await recordAudit(tx, { actor: ctx.actor, action: "webhook.rotate_secret", targetType: "webhook_endpoint", targetId: id, requestId: ctx.requestId });
    return updated;
  });
  return { endpoint: endpointView(row), secret };
}
