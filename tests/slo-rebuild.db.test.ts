// Rebuilding SLO rollups from stored raw telemetry: a new SLO gets its history, a changed SLI is
// recomputed, and minutes older than the raw data are left alone.
import { expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { createLogger } from "../lib/observability/logger";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { runPendingRebuild } from "../lib/slo/store/rebuild";
import { addSloContributions } from "../lib/telemetry/write/slo-rollups";
import { createSloCache } from "../lib/slo/store/rollups";
import { createSlo, replaceSlo } from "../lib/slo/store/slos";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";

const NOW = new Date(Number(T0 / MS) + 3_600_000);
const RETENTION = { spans: 7, metrics: 30, rollups: 35 };
const quiet = createLogger({ level: "error", sink: () => undefined });

describeEachDatabase("SLO rollup rebuild", ({ db }) => {
  it("backfills a new SLO, recomputes a changed SLI, and keeps minutes older than the raw data", async () => {
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => NOW.getTime() });
    const specs = Array.from({ length: 20 }, (_, i) => ({ service: "pay", traceId: hexId(32, i + 1), spanId: hexId(16, i + 1), name: "POST /pay", kind: 2, startNs: T0 + BigInt(i) * 1000n * MS, durationMs: i < 15 ? 100 : 900 }));
    await writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(NOW.getTime()) * MS }).spans);

    const svc = { db: db(), actor: SYSTEM_ACTOR };
    const definition = { name: "pay-latency", service: "pay", sli: { kind: "latency", selector: { service: "pay" }, thresholdMs: 300 }, objectivePercent: "99", window: { type: "rolling", durationDays: 30 } };
    const slo = await createSlo(svc, definition);
    const oldMinute = Math.floor(NOW.getTime() / 60_000) - 20 * 1440;
    await addSloContributions(db().sql, [{ sloId: slo.id, minute: oldMinute, good: 7, total: 9 }]);
    expect((await db().prisma.sloRebuild.findUniqueOrThrow({ where: { sloId: slo.id } })).status).toBe("pending");

    expect(await runPendingRebuild(db(), { now: NOW, retention: RETENTION })).toBe(slo.id);
    const sums = async () => {
      const rows = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: slo.id, minute: { gt: oldMinute } } });
      return [rows.reduce((s, r) => s + r.good, 0), rows.reduce((s, r) => s + r.total, 0)];
    };
    expect(await sums()).toEqual([15, 20]);
    expect(await db().prisma.sloRebuild.findUniqueOrThrow({ where: { sloId: slo.id } })).toMatchObject({ status: "done", progressRatio: 1, message: "20 events over 1 minute(s)" });

    await replaceSlo(svc, "pay-latency", { ...definition, sli: { ...definition.sli, thresholdMs: 1000 } });
    await runPendingRebuild(db(), { now: NOW, retention: RETENTION });
    expect(await sums()).toEqual([20, 20]);
    const old = await db().prisma.sloMinuteRollup.findUniqueOrThrow({ where: { sloId_minute: { sloId: slo.id, minute: oldMinute } } });
    expect([old.good, old.total]).toEqual([7, 9]);
    expect(await runPendingRebuild(db(), { now: NOW, retention: RETENTION })).toBeNull();
  });
});

describeEachDatabase("SLO rollup rebuild at the window's far edge and under live ingest", ({ db }) => {
  it("counts the oldest day retention still keeps: a 7-day SLO created now sees spans from 7 days ago", async () => {
    // T0 is 12:00 UTC; seven days on, the window starts at T0 and the oldest kept span partition is T0's day.
    const now = new Date(Number(T0 / MS) + 7 * 86_400_000);
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => now.getTime(), retention: { ...RETENTION, logs: 7 } });
    const specs = Array.from({ length: 64 }, (_, i) => ({ service: "edge", traceId: hexId(32, 900 + i), spanId: hexId(16, 900 + i), name: "GET /edge", kind: 2, startNs: T0 + 30n * 60_000n * MS + BigInt(i) * 1000n * MS, durationMs: 5, error: i < 12 }));
    const { stored } = await writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(now.getTime()) * MS }).spans);
    expect(stored).toBe(64);

    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "edge-availability", service: "edge", sli: { kind: "availability", selector: { service: "edge" } }, objectivePercent: "99", window: { type: "rolling", durationDays: 7 } });
    expect(await runPendingRebuild(db(), { now, retention: RETENTION })).toBe(slo.id);
    await evaluateAllSlos({ db: db(), logger: quiet, now });
    const status = await db().prisma.sloStatus.findUniqueOrThrow({ where: { sloId: slo.id } });
    expect(status).toMatchObject({ noData: false, sliRatio: 52 / 64 });
  });

  it("counts every span once when an SLO is created while spans stream in", async () => {
    const now = new Date(Number(T0 / MS) + 3_600_000);
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 2, maxWaitingBatches: 4, nowMs: () => now.getTime(), slos: createSloCache(db()) });
    const BATCHES = 60;
    const PER_BATCH = 10;
    let created: { id: string } | null = null;
    let rebuilt: Promise<string | null> | null = null;
    for (let b = 0; b < BATCHES; b++) {
      const specs = Array.from({ length: PER_BATCH }, (_, i) => {
        const n = 2_000 + b * PER_BATCH + i;
        // Spread over the 40 minutes before now: every span is in the window and in a minute the rebuild recomputes.
        return { service: "stream", traceId: hexId(32, n), spanId: hexId(16, n), name: "POST /stream", kind: 2, startNs: T0 + BigInt(n % 40) * 60_000n * MS, durationMs: 5, error: n % 7 === 0 };
      });
      const write = writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(now.getTime()) * MS }).spans);
      if (b === BATCHES / 3) {
        created = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "stream-availability", service: "stream", sli: { kind: "availability", selector: { service: "stream" } }, objectivePercent: "99", window: { type: "rolling", durationDays: 7 } });
        rebuilt = runPendingRebuild(db(), { now, retention: RETENTION });
      }
      await write;
    }
    expect(await rebuilt).toBe(created!.id);
    const rows = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: created!.id } });
    const sent = Array.from({ length: BATCHES * PER_BATCH }, (_, i) => 2_000 + i);
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(sent.length);
    expect(rows.reduce((s, r) => s + r.good, 0)).toBe(sent.filter((n) => n % 7 !== 0).length);
  });
});
