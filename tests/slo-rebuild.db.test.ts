// Rebuilding SLO rollups from stored raw telemetry: a new SLO gets its history, a changed SLI is
// recomputed, and minutes older than the raw data are left alone.
import { expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/scopes";
import { TelemetryWriter } from "../lib/db/telemetry-writer";
import { normaliseTraces } from "../lib/otlp/normalise-traces";
import { runPendingRebuild } from "../lib/slos/rebuild";
import { addSloContributions } from "../lib/slos/rollups";
import { createSlo, replaceSlo } from "../lib/slos/store";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";

const NOW = new Date(Number(T0 / MS) + 3_600_000);
const RETENTION = { spans: 7, metrics: 30, rollups: 35 };

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
