// The webhooks API through its route handlers: scopes, validation, the secret shown once, updates
// with the URL re-checked, rotation, test events, deliveries with the dead-letter filter, audit.
import { beforeAll, expect, it } from "vitest";
import * as byId from "../app/api/v1/webhooks/[id]/route";
import * as rotate from "../app/api/v1/webhooks/[id]/rotate-secret/route";
import * as testRoute from "../app/api/v1/webhooks/[id]/test/route";
import * as redeliver from "../app/api/v1/webhooks/deliveries/[id]/redeliver/route";
import * as deliveries from "../app/api/v1/webhooks/deliveries/route";
import * as webhooks from "../app/api/v1/webhooks/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { createLogger } from "../lib/observability/logger";
import { createWebhookDispatcher } from "../lib/webhooks/deliver/dispatcher";
import type { SendRequest } from "../lib/webhooks/deliver/http-sender";
import { decryptSecret } from "../lib/webhooks/core/secret-box";
import { verifyWebhook } from "../lib/webhooks/core/signing";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

describeEachDatabase("webhooks API", ({ db }) => {
  let writer = "";
  let reader = "";
  let sessionKey = "";
  const url = "http://127.0.0.1:9/hook";

  beforeAll(async () => {
    sessionKey = installTestApp(db(), { TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" }).sessionKey;
    writer = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "w", scopes: ["read", "write"] })).secret;
    reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "r", scopes: ["read"] })).secret;
  });

  it("creates an endpoint and returns its secret once; lists never show it", async () => {
    const created = await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "pager", url, services: ["api"] } });
    expect(created.status).toBe(201);
    api.createWebhook.response.parse(created.json);
    const { endpoint, secret } = created.json;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ name: "pager", url, events: ["slo.alert.firing", "slo.alert.resolved"], services: ["api"], format: "alertmanager", enabled: true, maxAttempts: 8 });
    const row = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(decryptSecret(row.secretCiphertext, sessionKey)).toBe(secret);

    const list = await callRoute(webhooks.GET, { path: "/api/v1/webhooks", token: reader });
    expect(list.status).toBe(200);
    api.listWebhooks.response.parse(list.json);
    expect(JSON.stringify(list.json)).not.toContain(secret.slice(6));
    expect(JSON.stringify(list.json)).not.toContain("secret");
    const audit = await db().prisma.auditLog.findFirstOrThrow({ where: { action: "webhook.create", targetId: endpoint.id } });
    expect(JSON.stringify(audit.details)).not.toContain(secret.slice(6));
  });

  it("needs the write scope for changes and names invalid fields", async () => {
    const refused = await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: reader, body: { name: "x", url } });
    expect(refused.status).toBe(403);
    const invalid = await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "x", url, events: ["slo.alert.sometimes"] } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details[0].path).toBe("body.events.0");
    const ftp = await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "x", url: "ftp://example.com/" } });
    expect(ftp.status).toBe(400);
    expect(ftp.json.error.message).toMatch(/only http and https/);
  });

  it("refuses private URLs on create and update when the setting is off", async () => {
    installTestApp(db(), { TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false" });
    try {
      for (const target of ["http://127.0.0.1:8080/", "http://10.0.0.1/", "http://169.254.169.254/"]) {
        const r = await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "x", url: target } });
        expect(r.status, target).toBe(400);
        expect(r.json.error.message).toMatch(/TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
      }
      const [ep] = await db().prisma.webhookEndpoint.findMany({ take: 1 });
      const params = { id: ep!.id };
      const patch = await callRoute(byId.PATCH, { method: "PATCH", path: `/api/v1/webhooks/${ep!.id}`, token: writer, params, body: { url: "http://192.168.1.1/", events: ["gate.failed"] } });
      expect(patch.status).toBe(400);
      expect(patch.json.error.details).toEqual([{ path: "body.url", message: expect.stringMatching(/192\.168\.1\.1.*TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/) }]);
      // Nothing of the refused patch is applied or audited.
      expect(await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: ep!.id } })).toMatchObject({ url: ep!.url, events: ep!.events, updatedAt: ep!.updatedAt });
      expect(await db().prisma.auditLog.count({ where: { action: "webhook.update", targetId: ep!.id } })).toBe(0);
      // A patch that leaves the URL alone is not re-checked: an endpoint added while private networks were allowed stays editable.
      const events = await callRoute(byId.PATCH, { method: "PATCH", path: `/api/v1/webhooks/${ep!.id}`, token: writer, params, body: { events: ["gate.failed"] } });
      expect(events.status).toBe(200);
      expect(events.json.endpoint).toMatchObject({ url: ep!.url, events: ["gate.failed"] });
    } finally {
      installTestApp(db(), { TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    }
  });

  it("disables, rotates, tests, lists deliveries by status, redelivers, deletes", async () => {
    const { endpoint, secret } = (await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "chat", url, format: "tailguard", events: ["gate.failed"] } })).json;
    const params = { id: endpoint.id };
    const off = await callRoute(byId.PATCH, { method: "PATCH", path: `/api/v1/webhooks/${endpoint.id}`, token: writer, params, body: { enabled: false } });
    expect(off.json.endpoint.enabled).toBe(false);
    expect((await callRoute(testRoute.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/test`, token: writer, params })).status).toBe(409);
    await callRoute(byId.PATCH, { method: "PATCH", path: `/api/v1/webhooks/${endpoint.id}`, token: writer, params, body: { enabled: true } });

    const rotated = await callRoute(rotate.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/rotate-secret`, token: writer, params });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(secret);

    const test = await callRoute(testRoute.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/test`, token: writer, params });
    expect(test.status).toBe(202);
    const pending = await callRoute(deliveries.GET, { path: "/api/v1/webhooks/deliveries?status=pending", token: reader });
    api.listWebhookDeliveries.response.parse(pending.json);
    expect(pending.json.deliveries.map((d: { id: string }) => d.id)).toContain(test.json.deliveryId);
    expect(pending.json.deliveries[0]).toMatchObject({ endpointName: "chat", eventType: "webhook.test", summary: "Test event from Tailguard", attempts: 0 });
    // A queued delivery needs no redelivery; a dead one does.
    const early = await callRoute(redeliver.POST, { method: "POST", path: "/x", token: writer, params: { id: test.json.deliveryId } });
    expect(early.status).toBe(409);
    await db().prisma.webhookDelivery.update({ where: { id: test.json.deliveryId }, data: { status: "dead", attempts: 8, lastError: "HTTP 500: gave up after 8 attempts" } });
    const dead = await callRoute(deliveries.GET, { path: "/api/v1/webhooks/deliveries?status=dead", token: reader });
    expect(dead.json.deliveries.map((d: { id: string }) => d.id)).toEqual([test.json.deliveryId]);
    const again = await callRoute(redeliver.POST, { method: "POST", path: "/x", token: writer, params: { id: test.json.deliveryId } });
    expect(again.status).toBe(202);
    expect(again.json.delivery).toMatchObject({ id: test.json.deliveryId, status: "pending", attempts: 0 });

    const del = await callRoute(byId.DELETE, { method: "DELETE", path: `/api/v1/webhooks/${endpoint.id}`, token: writer, params });
    expect(del.json).toEqual({ deleted: endpoint.id });
    expect(await db().prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect((await callRoute(byId.DELETE, { method: "DELETE", path: "/x", token: writer, params })).status).toBe(404);
    const actions = (await db().prisma.auditLog.findMany({ where: { targetId: { in: [endpoint.id, test.json.deliveryId] } }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["webhook.create", "webhook.update", "webhook.update", "webhook.rotate_secret", "webhook.test", "webhook.redeliver", "webhook.delete"]);
  });

  it("rotates a secret: the response shows the new one once, the stored one changes, deliveries are signed with it and not the old", async () => {
    const { endpoint, secret: oldSecret } = (await callRoute(webhooks.POST, { method: "POST", path: "/api/v1/webhooks", token: writer, body: { name: "rotating", url } })).json;
    const params = { id: endpoint.id };
    const before = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });

    const refused = await callRoute(rotate.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/rotate-secret`, token: reader, params });
    expect(refused.status).toBe(403);
    const missing = await callRoute(rotate.POST, { method: "POST", path: "/x", token: writer, params: { id: "00000000-0000-4000-8000-000000000000" } });
    expect(missing.status).toBe(404);

    const rotated = await callRoute(rotate.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/rotate-secret`, token: writer, params });
    expect(rotated.status).toBe(200);
    api.rotateWebhookSecret.response.parse(rotated.json);
    const newSecret: string = rotated.json.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.json.endpoint).toMatchObject({ id: endpoint.id, name: "rotating", url, enabled: true });
    const after = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(after.secretCiphertext).not.toBe(before.secretCiphertext);
    expect(decryptSecret(after.secretCiphertext, sessionKey)).toBe(newSecret);
    const list = await callRoute(webhooks.GET, { path: "/api/v1/webhooks", token: reader });
    expect(JSON.stringify(list.json)).not.toContain(newSecret.slice(6));

    // The next delivery, as the dispatcher sends it, verifies with the new secret only.
    const queued = await callRoute(testRoute.POST, { method: "POST", path: `/api/v1/webhooks/${endpoint.id}/test`, token: writer, params });
    const sent: SendRequest[] = [];
    const dispatcher = createWebhookDispatcher({
      db: db(),
      logger: createLogger({ level: "error", sink: () => undefined }),
      serverKey: sessionKey,
      settings: { timeoutMs: 1_000, concurrencyPerEndpoint: 1, allowPrivateNetworks: true, externalUrl: "https://tailguard.example.com" },
      now: () => new Date(Date.now() + 1_000),
      send: async (request) => {
        sent.push(request);
        return { outcome: { kind: "response", statusCode: 204 }, durationMs: 1, excerpt: null };
      },
    });
    await dispatcher.runOnce();
    const request = sent.find((r) => r.headers["webhook-id"] === queued.json.deliveryId)!;
    expect(request).toBeDefined();
    expect(verifyWebhook({ headers: request.headers, body: request.body, secret: newSecret })).toEqual({ ok: true });
    expect(verifyWebhook({ headers: request.headers, body: request.body, secret: oldSecret })).toEqual({ ok: false, reason: "no matching signature" });

    const audit = await db().prisma.auditLog.findMany({ where: { action: "webhook.rotate_secret", targetId: endpoint.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: "w", targetType: "webhook_endpoint", requestId: "test-req" });
    expect(JSON.stringify(audit[0]!.details)).not.toContain(newSecret.slice(6));
    expect(JSON.stringify(audit[0]!.details)).not.toContain(oldSecret.slice(6));
    await callRoute(byId.DELETE, { method: "DELETE", path: "/x", token: writer, params });
  });
});
