// Webhook delivery end to end on both databases, with a real HTTP receiver on 127.0.0.1 and an
// injected clock: signatures, retries with one webhook-id, no retry on 4xx, dead-letter,
// Retry-After, a dispatcher restart, two dispatchers over one database, the URL guard.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { openDatabase, type Database } from "../lib/db/client";
import { createLogger } from "../lib/observability/logger";
import type { AppContext } from "../lib/context/app-context";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { addSloContributions } from "../lib/telemetry/write/slo-rollups";
import { createSlo } from "../lib/slo/store/slos";
import type { AlertmanagerPayload } from "../lib/webhooks/core/alertmanager-payload";
import { listWebhookDeliveries, redeliverWebhook, sendWebhookTest } from "../lib/webhooks/store/deliveries";
import { createWebhookDispatcher } from "../lib/webhooks/deliver/dispatcher";
import { WebhookEndpointInput } from "../lib/webhooks/core/endpoint-schemas";
import { createWebhookEndpoint, type WebhookServiceContext } from "../lib/webhooks/store/endpoints";
import { dispatcherSettings } from "../lib/webhooks/deliver/settings";
import { webhookServiceContext } from "../lib/webhooks/store/service-context";
import { newWebhookSecret, verifyWebhook } from "../lib/webhooks/core/signing";
import { InMemoryWebhookReceiver } from "./helpers/in-memory-webhook-receiver";
import { installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const quiet = createLogger({ level: "error", sink: () => undefined });

describeEachDatabase("webhook delivery", ({ db, kind, url }) => {
  let app: AppContext;
  let svc: WebhookServiceContext;
  let receiver: InMemoryWebhookReceiver;
  // Deliveries are due from the database's now(); the injected clock starts just after it and only moves forward.
  let clock = new Date(Date.now() + 1_000);
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

  const dispatcher = (over: { db?: Database; concurrency?: number; allowPrivate?: boolean } = {}) =>
    createWebhookDispatcher({
      db: over.db ?? db(),
      logger: quiet,
      serverKey: app.sessionKey,
      settings: {
        ...dispatcherSettings(app.config),
        concurrencyPerEndpoint: over.concurrency ?? 4,
        allowPrivateNetworks: over.allowPrivate ?? true,
        leaseMs: 60_000,
        backoff: { baseMs: 10_000, capMs: 600_000, minMs: 1_000 },
      },
      now: () => clock,
      random: () => 0.5,
    });
  const endpoint = async (input: Partial<WebhookEndpointInput> = {}) => createWebhookEndpoint(svc, WebhookEndpointInput.parse({ name: "pager", url: receiver.url, ...input }));
  const delivery = async (id: string) => (await listWebhookDeliveries(db(), { id }))[0]!;
  const verify = (r: { headers: Record<string, unknown>; body: string }, secret: string) =>
    verifyWebhook({ headers: r.headers as Record<string, string>, body: r.body, secret, nowS: Number(r.headers["webhook-timestamp"]) + 60 });

  beforeAll(async () => {
    app = installTestApp(db(), { TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", TAILGUARD_WEBHOOK_TIMEOUT_MS: "5000", TAILGUARD_PUBLIC_URL: "https://tailguard.example.com" });
    svc = webhookServiceContext({ db: db(), actor: SYSTEM_ACTOR }, app);
    receiver = await new InMemoryWebhookReceiver().start();
  });
  const catchUp = () => (clock = new Date(Math.max(clock.getTime(), Date.now() + 1_000)));
  beforeEach(catchUp);
  afterEach(async () => {
    receiver.setScript(() => ({ status: 200 }));
    await db().prisma.webhookEndpoint.deleteMany();
  });
  afterAll(async () => receiver.stop());

  it("enqueues an SLO alert in the evaluation's transaction, once, and delivers it signed with the secret shown at creation", async () => {
    const { endpoint: ep, secret } = await endpoint({ services: ["api"] });
    await endpoint({ name: "other-team", services: ["billing"] });
    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "api-availability", service: "api", sli: { kind: "availability", selector: { service: "api" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 30 } });
    const now = new Date();
    const minute = Math.floor(now.getTime() / 60_000);
    await addSloContributions(db().sql, Array.from({ length: 60 }, (_, i) => ({ sloId: slo.id, minute: minute - i, good: 980, total: 1000 })));
    await evaluateAllSlos({ db: db(), logger: quiet, now });
    await evaluateAllSlos({ db: db(), logger: quiet, now: new Date(now.getTime() + 1000) });
    const rows = await db().prisma.webhookDelivery.findMany({ include: { endpoint: true } });
    const events = await db().prisma.alertEvent.findMany({ where: { sloId: slo.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.key)).toContain("burnRate:page");
    // One row per event for the endpoint watching "api", none for the one watching "billing", none twice.
    expect(rows.map((r) => [r.endpoint.name, r.eventKey]).sort()).toEqual(events.map((e) => ["pager", `alert_event:${e.id}`]).sort());
    const page = rows.find((r) => r.eventKey === `alert_event:${events.find((e) => e.key === "burnRate:page")!.id}`)!;

    catchUp();
    expect(await dispatcher().runOnce()).toBe(rows.length);
    expect(receiver.requests).toHaveLength(rows.length);
    const req = receiver.requests.find((r) => r.id === page.id)!;
    expect(verify(req, secret)).toEqual({ ok: true });
    expect(verify(req, newWebhookSecret())).toMatchObject({ ok: false });
    const body = JSON.parse(req.body) as AlertmanagerPayload;
    expect(body).toMatchObject({ version: "4", status: "firing", receiver: "pager", externalURL: "https://tailguard.example.com" });
    expect(body.alerts[0]?.labels).toMatchObject({ alertname: "SLOBurnRate", severity: "page", slo: "api-availability", service: "api" });
    expect(body.slo).toMatchObject({ objectivePercent: "99.9", window: "30d rolling", links: { console: "https://tailguard.example.com/slos/api-availability" } });
    expect(body.slo?.burnRates.length).toBeGreaterThan(0);
    expect(page.endpointId).toBe(ep.id);
    expect((await delivery(page.id)).status).toBe("delivered");
    const stored = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect(stored.secretCiphertext).not.toContain(secret.slice(6, 20));
  });

  it("retries a receiver that answers 503 three times with the same webhook-id; it processes the event once", async () => {
    const { endpoint: ep, secret } = await endpoint();
    receiver.setScript((_r, attempt) => (attempt <= 3 ? { status: 503, body: "busy" } : { status: 200, body: "ok" }));
    const { deliveryId } = await sendWebhookTest(svc, ep.id, clock);
    const d = dispatcher();
    for (let i = 0; i < 6; i++) {
      await d.runOnce();
      advance(10 * 60_000);
    }
    const got = receiver.requests.filter((r) => r.id === deliveryId);
    expect(got).toHaveLength(4);
    expect(got.every((r) => verify(r, secret).ok)).toBe(true);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(receiver.processed.has(deliveryId)).toBe(true);
    const view = await delivery(deliveryId);
    expect(view).toMatchObject({ status: "delivered", attempts: 4, lastStatusCode: 200 });
    expect(view.attemptLog.map((a) => [a.statusCode, a.responseExcerpt])).toEqual([[503, "busy"], [503, "busy"], [503, "busy"], [200, "ok"]]);
  });

  it("does not retry a 4xx other than 429, and retries 429", async () => {
    const { endpoint: ep } = await endpoint();
    const first = (await sendWebhookTest(svc, ep.id, clock)).deliveryId;
    receiver.setScript((r) => (r.id === first ? { status: 400, body: "bad" } : { status: 429 }));
    const second = (await sendWebhookTest(svc, ep.id, clock)).deliveryId;
    const d = dispatcher();
    await d.runOnce();
    advance(10 * 60_000);
    await d.runOnce();
    expect(receiver.countFor(first)).toBe(1);
    expect(await delivery(first)).toMatchObject({ status: "dead", attempts: 1, lastStatusCode: 400, lastError: "HTTP 400: not retried" });
    expect(receiver.countFor(second)).toBe(2);
    expect((await delivery(second)).status).toBe("pending");
  });

  it("dead-letters a receiver that always fails after maxAttempts, lists it, and redelivers it", async () => {
    const { endpoint: ep } = await endpoint({ maxAttempts: 3 });
    receiver.setScript(() => ({ status: 500, body: "x".repeat(10_000) }));
    const { deliveryId } = await sendWebhookTest(svc, ep.id, clock);
    const d = dispatcher();
    for (let i = 0; i < 5; i++) {
      await d.runOnce();
      advance(10 * 60_000);
    }
    expect(receiver.countFor(deliveryId)).toBe(3);
    const dead = await listWebhookDeliveries(db(), { status: "dead" });
    expect(dead.map((x) => x.id)).toEqual([deliveryId]);
    expect(dead[0]).toMatchObject({ attempts: 3, lastError: "HTTP 500: gave up after 3 attempts" });
    expect(dead[0]!.attemptLog.every((a) => (a.responseExcerpt ?? "").length <= 4096)).toBe(true);

    receiver.setScript(() => ({ status: 204 }));
    await redeliverWebhook(svc, deliveryId, clock);
    await d.runOnce();
    expect(await delivery(deliveryId)).toMatchObject({ status: "delivered", attempts: 1 });
    expect(receiver.countFor(deliveryId)).toBe(4);
  });

  it("honours Retry-After on 503", async () => {
    const { endpoint: ep } = await endpoint();
    receiver.setScript((_r, attempt) => (attempt === 1 ? { status: 503, headers: { "retry-after": "120" } } : { status: 200 }));
    const { deliveryId } = await sendWebhookTest(svc, ep.id, clock);
    const d = dispatcher();
    await d.runOnce();
    expect(new Date((await delivery(deliveryId)).nextAttemptAt).getTime()).toBe(clock.getTime() + 120_000);
    advance(119_000);
    expect(await d.runOnce()).toBe(0);
    advance(2_000);
    expect(await d.runOnce()).toBe(1);
    expect((await delivery(deliveryId)).status).toBe("delivered");
  });

  it("loses nothing when the dispatcher restarts between retries or dies during a send", async () => {
    const { endpoint: ep } = await endpoint();
    // Between retries: the first instance records a 503, a new one delivers.
    receiver.setScript((_r, attempt) => (attempt === 1 ? { status: 503 } : { status: 200 }));
    const a = (await sendWebhookTest(svc, ep.id, clock)).deliveryId;
    await dispatcher().runOnce();
    advance(10 * 60_000);
    await dispatcher().runOnce();
    expect(await delivery(a)).toMatchObject({ status: "delivered", attempts: 2 });

    // During a send: the first instance never hears back; after its lease a new instance delivers.
    receiver.setScript((_r, attempt) => (attempt === 1 ? "hang" : { status: 200 }));
    const b = (await sendWebhookTest(svc, ep.id, clock)).deliveryId;
    const crashed = dispatcher();
    expect(await crashed.tick()).toBe(1);
    await expect.poll(() => receiver.countFor(b)).toBe(1);
    expect(await dispatcher().runOnce()).toBe(0); // still leased
    advance(61_000);
    await dispatcher().runOnce();
    expect(await delivery(b)).toMatchObject({ status: "delivered", attempts: 1 });
    // The old instance's late answer must not overwrite the newer outcome.
    receiver.release(500);
    await crashed.drain();
    expect(await delivery(b)).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect(receiver.processed.has(b)).toBe(true);
  });

  it("keeps at most the per-endpoint concurrency in flight", async () => {
    const { endpoint: ep } = await endpoint();
    receiver.setScript(() => "hang");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await sendWebhookTest(svc, ep.id, clock)).deliveryId);
    const d = dispatcher({ concurrency: 2 });
    expect(await d.tick()).toBe(2);
    expect(await d.tick()).toBe(0);
    await expect.poll(() => receiver.requests.filter((r) => ids.includes(r.id)).length).toBe(2);
    receiver.setScript(() => ({ status: 200 }));
    receiver.release(200);
    await d.drain();
    expect(await d.runOnce()).toBe(2);
    expect(await d.runOnce()).toBe(1);
    expect((await listWebhookDeliveries(db(), { endpointId: ep.id })).every((x) => x.status === "delivered")).toBe(true);
  });

  it("delivers each event exactly once with two dispatchers over one database", async () => {
    const second = kind === "postgres" ? await openDatabase({ databaseUrl: url(), dataDir: "memory://" }) : db();
    try {
      const eps = [await endpoint({ name: "a" }), await endpoint({ name: "b" })];
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) for (const e of eps) ids.push((await sendWebhookTest(svc, e.endpoint.id, clock)).deliveryId);
      const d1 = dispatcher({ concurrency: 3 });
      const d2 = dispatcher({ db: second, concurrency: 3 });
      let claimed = [0, 0];
      for (let round = 0; round < 40 && (await db().prisma.webhookDelivery.count({ where: { status: "pending" } })) > 0; round++) {
        const [n1, n2] = await Promise.all([d1.runOnce(), d2.runOnce()]);
        claimed = [claimed[0]! + n1, claimed[1]! + n2];
      }
      expect(claimed[0]! + claimed[1]!).toBe(30);
      expect(claimed.every((n) => n > 0)).toBe(true);
      for (const id of ids) expect(receiver.countFor(id)).toBe(1);
      expect(await db().prisma.webhookAttempt.count({ where: { deliveryId: { in: ids } } })).toBe(30);
    } finally {
      if (second !== db()) await second.close();
    }
  });

  it("refuses loopback, private and metadata URLs unless private networks are allowed", async () => {
    const strict = { ...svc, allowPrivateNetworks: false };
    for (const target of ["http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://localhost:9/"]) {
      await expect(createWebhookEndpoint(strict, WebhookEndpointInput.parse({ name: "x", url: target }))).rejects.toMatchObject({ kind: "invalid" });
    }
    // An endpoint stored while allowed is refused at send time once the setting is off, and not retried.
    const { endpoint: ep } = await endpoint();
    const { deliveryId } = await sendWebhookTest(svc, ep.id, clock);
    await dispatcher({ allowPrivate: false }).runOnce();
    expect(receiver.countFor(deliveryId)).toBe(0);
    expect(await delivery(deliveryId)).toMatchObject({ status: "dead", attempts: 1, lastError: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/) });
  });
});
