import { beforeAll, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createLogger } from "../lib/observability/logger";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { addSloContributions } from "../lib/telemetry/write/slo-rollups";
import { createSloCache } from "../lib/slo/store/rollups";
import { createSlo } from "../lib/slo/store/slos";
import { describeEachDatabase } from "./helpers/databases";

const quiet = createLogger({ level: "error", sink: () => undefined });
const NOW = new Date("2026-11-20T12:00:30Z");
const NOW_MINUTE = Math.floor(NOW.getTime() / 60_000);

describeEachDatabase("SLO evaluation from minute rollups", ({ db }) => {
  let sloId = "";

  beforeAll(async () => {
    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, {
      name: "api-availability",
      service: "api",
      sli: { kind: "availability", selector: { service: "api" } },
      objectivePercent: "99.9",
      window: { type: "rolling", durationDays: 30 },
      alertPolicy: { noDataMinutes: 10 },
    });
    sloId = slo.id;
  });

  it("finds the SLO through the ingest cache", async () => {
    const cache = createSloCache(db());
    expect((await cache()).map((s) => s.definition.name)).toEqual(["api-availability"]);
  });

  it("reports no data (null SLI and budget, never NaN or a full budget) before any event", async () => {
    await evaluateAllSlos({ db: db(), logger: quiet, now: NOW });
    const status = await db().prisma.sloStatus.findUniqueOrThrow({ where: { sloId } });
    expect(status).toMatchObject({ noData: true, sliRatio: null, budgetRemainingRatio: null, budgetConsumedRatio: null, firingSeverity: null });
  });

  it("pages when 2% errors burn the budget 20× over 1 h and 5 m, and records the event", async () => {
    // 60 minutes of 1,000 requests with 20 errors: burn rate (0.02 / 0.001) = 20 ≥ 14.4 on both windows.
    const minutes = Array.from({ length: 60 }, (_, i) => ({ sloId, minute: NOW_MINUTE - i, good: 980, total: 1000 }));
    await addSloContributions(db().sql, minutes);
    const summary = await evaluateAllSlos({ db: db(), logger: quiet, now: NOW });
    expect(summary.notifications).toBeGreaterThanOrEqual(1);
    const status = await db().prisma.sloStatus.findUniqueOrThrow({ where: { sloId } });
    expect(status.noData).toBe(false);
    expect(status.sliRatio).toBeCloseTo(0.98, 10);
    // 1,200 bad of 60,000 events against a 0.1% budget of 60,000 → 20× the allowance, in events.
    expect(status.budgetConsumedRatio).toBeCloseTo(20, 6);
    expect(status.firingSeverity).toBe("page");
    const alert = await db().prisma.sloAlert.findUniqueOrThrow({ where: { sloId_key: { sloId, key: "burnRate:page" } } });
    expect(alert.status).toBe("firing");
    const events = await db().prisma.alertEvent.findMany({ where: { sloId, key: "burnRate:page" } });
    expect(events.map((e) => e.type)).toEqual(["firing"]);
  });

  it("adds rollups for the same minute instead of overwriting them", async () => {
    await addSloContributions(db().sql, [{ sloId, minute: NOW_MINUTE, good: 5, total: 5 }, { sloId, minute: NOW_MINUTE, good: 1, total: 2 }]);
    const row = await db().prisma.sloMinuteRollup.findUniqueOrThrow({ where: { sloId_minute: { sloId, minute: NOW_MINUTE } } });
    expect([row.good, row.total]).toEqual([986, 1007]);
  });

  it("does not raise no-data for a new SLO until noDataMinutes have passed since it was created", async () => {
    const fresh = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "fresh", service: "fresh", sli: { kind: "availability", selector: { service: "fresh" } }, objectivePercent: 99, window: { type: "rolling", durationDays: 7 }, alertPolicy: { noDataMinutes: 10 } });
    const created = new Date(fresh.createdAt);
    await evaluateAllSlos({ db: db(), logger: quiet, now: new Date(created.getTime() + 60_000) });
    expect(await db().prisma.sloAlert.findUnique({ where: { sloId_key: { sloId: fresh.id, key: "noData" } } })).toBeNull();
    await evaluateAllSlos({ db: db(), logger: quiet, now: new Date(created.getTime() + 11 * 60_000) });
    expect((await db().prisma.sloAlert.findUniqueOrThrow({ where: { sloId_key: { sloId: fresh.id, key: "noData" } } })).status).toBe("firing");
    await db().prisma.slo.delete({ where: { id: fresh.id } });
  });

  it("raises the no-data alert when events stop", async () => {
    const later = new Date(NOW.getTime() + 30 * 60_000);
    await evaluateAllSlos({ db: db(), logger: quiet, now: later });
    const alert = await db().prisma.sloAlert.findUniqueOrThrow({ where: { sloId_key: { sloId, key: "noData" } } });
    expect(alert.status).toBe("firing");
  });
});
