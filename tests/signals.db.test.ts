import { beforeAll, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { engineJobs } from "../engine/catalog";
import { ThresholdConfigSchema } from "../lib/signals/core/thresholds";
import { createLogger } from "../lib/observability/logger";
import { saveScopeThresholds } from "../lib/signals/store/thresholds";
import { installTestApp } from "./helpers/app";
import { evaluateGate } from "../lib/gate/store/evaluate";
import { GateRequest } from "../lib/gate/core/requests";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { DETECTION_STEP_SECONDS, getSignal, listSignals, openSignalsForGate, runDetection, signalsForJob } from "../lib/signals/store/signals";
import { createWebhookEndpoint } from "../lib/webhooks/store/endpoints";
import { WebhookEndpointInput } from "../lib/webhooks/core/endpoint-schemas";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

const S = 1000n * MS;
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs" };
const thresholds = ThresholdConfigSchema.parse({});
// The storm starts 40 minutes after T0 and lasts 3 minutes; healthy load before and after.
const STORM_FROM = 40 * 60;
const STORM_TO = 43 * 60;
const END = 52 * 60;

let spanCounter = 0;
/** One job every 3 s: published by the api, consumed by the worker, which calls the feature store; in the storm each job fails twice and is retried at once. */
function jobSpans(second: number): SpanSpec[] {
  const jobId = `job-${second}`;
  const trace = hexId(32, 0x100000 + second);
  const start = T0 + BigInt(second) * S;
  const storm = second >= STORM_FROM && second < STORM_TO;
  const attempts = storm ? 3 : 1;
  const spans: SpanSpec[] = [
    { service: "api", traceId: trace, spanId: hexId(16, ++spanCounter), name: "jobs publish", kind: 4, startNs: start, durationMs: 2, attributes: { "job.id": jobId, "job.attempt": 1, "messaging.operation.type": "send", ...queue } },
  ];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const at = start + BigInt(attempt) * 150n * MS;
    const failed = attempt < attempts;
    spans.push(
      { service: "worker", traceId: trace, spanId: hexId(16, ++spanCounter), name: "jobs process", kind: 5, startNs: at, durationMs: 100, error: failed, attributes: { "job.id": jobId, "job.attempt": attempt, "messaging.operation.type": "process", ...queue } },
      { service: "worker", traceId: trace, spanId: hexId(16, ++spanCounter), name: "GET feature-store", kind: 3, startNs: at + MS, durationMs: 5, error: failed, attributes: { "job.id": jobId, "job.attempt": attempt, "peer.service": "feature-store" } },
    );
  }
  return spans;
}

describeEachDatabase("signals", ({ db }) => {
  const nowAt = (second: number) => new Date(Number((T0 + BigInt(second) * S) / MS));
  const detectAt = (second: number) => runDetection(db(), { now: nowAt(second), lagSeconds: 10, thresholds });

  beforeAll(async () => {
    const ctx = { db: db(), actor: SYSTEM_ACTOR, serverKey: "k".repeat(64), allowPrivateNetworks: true };
    await createWebhookEndpoint(ctx, WebhookEndpointInput.parse({ name: "on-call", url: "http://127.0.0.1:9/hook", events: ["signal.opened", "signal.resolved"], services: ["worker"] }));
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 4, nowMs: () => Number((T0 + BigInt(END) * S) / MS) });
    for (let from = 0; from < END; from += 300) {
      const specs = [];
      for (let second = from; second < from + 300; second += 3) specs.push(...jobSpans(second));
      await writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + BigInt(END) * S }).spans);
    }
  });

  it("opens a retry-storm signal within a minute of onset, with evidence, a webhook event and a gate reason, then resolves it", async () => {
    let openedAt: number | null = null;
    for (let second = STORM_FROM - 60; second <= STORM_FROM + 120 && openedAt === null; second += DETECTION_STEP_SECONDS) {
      const summary = await detectAt(second);
      if (summary.opened > 0) openedAt = second;
    }
    expect(openedAt).not.toBeNull();
    expect((openedAt as number) - STORM_FROM).toBeLessThanOrEqual(60);

    const [signal] = await listSignals(db(), { status: "open" });
    expect(signal).toMatchObject({ kind: "retry_storm", resource: "worker->feature-store", phase: "open", services: ["worker", "feature-store"] });
    const detail = await getSignal(db(), signal?.id as string);
    expect(detail.charts.map((c) => c.name)).toContain("worker → feature-store calls/min");
    expect(detail.summary).toMatch(/worker/);
    // The retried jobs it cites link back to it.
    expect(detail.exampleJobIds.length).toBeGreaterThan(0);
    expect((await signalsForJob(db(), detail.exampleJobIds[0] as string)).map((s) => s.id)).toEqual([signal?.id]);
    expect(await signalsForJob(db(), "job-0")).toEqual([]);

    // Gate: an open signal is a reason (warning signals warn, critical ones fail by default).
    expect(await openSignalsForGate(db())).toHaveLength(1);
    const gate = await evaluateGate({ db: db(), actor: SYSTEM_ACTOR }, GateRequest.parse({ services: ["worker"], version: "1.2.3", dryRun: true }), { now: nowAt(openedAt as number) });
    expect(gate.reasons.some((r) => r.subject.type === "signal" && r.subject.name === "retry_storm:worker->feature-store")).toBe(true);

    // After the storm, enough negative evaluations resolve it, once.
    let resolvedAt: number | null = null;
    for (let second = STORM_TO; second <= END && resolvedAt === null; second += DETECTION_STEP_SECONDS) {
      if ((await detectAt(second)).resolved > 0) resolvedAt = second;
    }
    expect(resolvedAt).not.toBeNull();
    expect((await listSignals(db(), { status: "resolved" })).map((s) => s.id)).toEqual([signal?.id]);
    expect(await listSignals(db(), { status: "open" })).toEqual([]);

    // One outbox row per transition, keyed so a repeated enqueue is a no-op.
    const deliveries = await db().prisma.webhookDelivery.findMany({ orderBy: { eventKey: "asc" } });
    expect(deliveries.map((d) => [d.eventType, d.eventKey])).toEqual([
      ["signal.opened", `signal:${signal?.id}:opened`],
      ["signal.resolved", `signal:${signal?.id}:resolved`],
    ]);
    expect(deliveries[0]?.payload).toMatchObject({ status: "firing", labels: { signal_kind: "retry_storm", resource: "worker->feature-store" }, links: { console: `/signals/${signal?.id}` } });
  });

  it("raises nothing on the healthy load before the storm", async () => {
    const before = await db().prisma.signal.count();
    for (let second = 20 * 60; second < 30 * 60; second += 30) expect((await detectAt(second)).opened).toBe(0);
    expect(await db().prisma.signal.count({ where: { phase: "open" } })).toBe(0);
    expect(await db().prisma.signal.count()).toBe(before);
  });

  it("the engine judges the worker by the thresholds saved for it in the console: the same storm under raised limits opens nothing", async () => {
    const detectJob = engineJobs.find((j) => j.name === "signals.detect")!;
    const app = installTestApp(db());
    const warnings: string[] = [];
    const logger = createLogger({ level: "warn", sink: (line) => warnings.push(line) });
    const run = (second: number) => detectJob.run({ db: db(), now: nowAt(second), logger, app, instanceId: "t", isLeader: true });
    const before = await db().prisma.signal.count();
    await saveScopeThresholds({ db: db(), actor: SYSTEM_ACTOR }, "worker", { retryStorm: { minAmplification: 10, minAttemptsPerJob: 10 } });
    for (let second = STORM_FROM - 60; second <= STORM_TO; second += DETECTION_STEP_SECONDS) await run(second);
    expect(await db().prisma.signal.count()).toBe(before);

    // A stored document broken by hand is ignored (the storm is judged by the defaults again) and logged once.
    await db().prisma.setting.update({ where: { key: "detection.thresholds" }, data: { value: "{not json" } });
    for (let second = STORM_FROM; second <= STORM_FROM + 90; second += DETECTION_STEP_SECONDS) await run(second);
    expect(warnings.filter((w) => w.includes("saved detection thresholds ignored"))).toHaveLength(1);
    expect(await db().prisma.signal.count()).toBeGreaterThan(before);
    await saveScopeThresholds({ db: db(), actor: SYSTEM_ACTOR }, "worker", {});
  });

  it("answers 404-kind errors for unknown signals", async () => {
    await expect(getSignal(db(), "999999")).rejects.toMatchObject({ kind: "not_found" });
    await expect(getSignal(db(), "x")).rejects.toMatchObject({ kind: "not_found" });
  });
});
