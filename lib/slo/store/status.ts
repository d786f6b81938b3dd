// What the console and API show about SLOs: latest evaluation, alert states, and chart series
// (SLI per hour and error budget remaining over the window; gaps stay null, never 0).
import type { Database } from "../../db/client";
import { windowBounds } from "../core/budget";
import { burndownInstants } from "../core/burndown";
import { errorBudgetRatio } from "../core/objective";
import { definitionObjective } from "../core/definition";
import { listSlos, type StoredSlo } from "./slos";
import { DomainError } from "../../errors";

export type SloStatusView = {
  evaluatedAt: string;
  noData: boolean;
  sliRatio: number | null;
  /** Null when there is no data in the window: no budget figure is known. */
  budgetRemainingRatio: number | null;
  budgetConsumedRatio: number | null;
  firingSeverity: string | null;
  exhaustionAt: string | null;
  burnRates: { windowMinutes: number; burnRate: number | null }[];
};
export type SloAlertView = { key: string; kind: string; severity: string; status: string; since: string | null; summary: string };
export type SloOverview = StoredSlo & { status: SloStatusView | null; alerts: SloAlertView[] };

async function statusesFor(db: Database, ids: string[]) {
  const [statuses, alerts] = await Promise.all([
    db.prisma.sloStatus.findMany({ where: { sloId: { in: ids } } }),
    db.prisma.sloAlert.findMany({ where: { sloId: { in: ids } }, orderBy: { key: "asc" } }),
  ]);
  return { statuses: new Map(statuses.map((s) => [s.sloId, s])), alerts };
}

function statusView(s: Awaited<ReturnType<Database["prisma"]["sloStatus"]["findMany"]>>[number] | undefined): SloStatusView | null {
  if (!s) return null;
  const report = s.report as { burn?: { windows?: { windowMinutes: number; burnRate: number | null }[] } };
  return {
    evaluatedAt: s.evaluatedAt.toISOString(),
    noData: s.noData,
    sliRatio: s.sliRatio,
    budgetRemainingRatio: s.budgetRemainingRatio,
    budgetConsumedRatio: s.budgetConsumedRatio,
    firingSeverity: s.firingSeverity,
    exhaustionAt: s.exhaustionAt?.toISOString() ?? null,
    burnRates: (report.burn?.windows ?? []).map((w) => ({ windowMinutes: w.windowMinutes, burnRate: w.burnRate })),
  };
}

export async function listSloOverview(db: Database, filter: { service?: string; name?: string } = {}): Promise<SloOverview[]> {
  const slos = await listSlos(db, filter);
  const { statuses, alerts } = await statusesFor(db, slos.map((s) => s.id));
  return slos.map((slo) => ({
    ...slo,
    status: statusView(statuses.get(slo.id)),
    alerts: alerts.filter((a) => a.sloId === slo.id && a.status !== "inactive").map((a) => ({ key: a.key, kind: a.kind, severity: a.severity, status: a.status, since: a.statusSinceAt?.toISOString() ?? null, summary: a.summary })),
  }));
}

/** `idealRemainingRatio` is the budget left if it were spent evenly over the window (1 → 0). */
export type SloSeriesPoint = { at: string; sliRatio: number | null; budgetRemainingRatio: number | null; idealRemainingRatio: number; events: number };

/**
 * Hourly points over the SLO window up to now, the first at the window start and a last one at its end: the SLI
 * of each hour (null without events) and the budget remaining after it, spending the window's budget sized by the
 * events seen so far.
 */
export async function sloSeries(db: Database, slo: StoredSlo, now: Date): Promise<SloSeriesPoint[]> {
  const bounds = windowBounds(slo.definition.window, now);
  const rows = await db.sql.query<{ hour: number; good: number; total: number }>(
    `SELECT (minute / 60)::int AS hour, sum(good)::float8 AS good, sum(total)::float8 AS total
     FROM slo_minute_rollups WHERE slo_id = $1 AND minute BETWEEN $2 AND $3 GROUP BY 1 ORDER BY 1`,
    [slo.id, bounds.firstMinute, bounds.lastMinute],
  );
  const byHour = new Map(rows.map((r) => [Number(r.hour), r]));
  const allTotal = rows.reduce((s, r) => s + Number(r.total), 0);
  const allowedBad = allTotal * errorBudgetRatio(definitionObjective(slo.definition));
  let bad = 0;
  let seen = false;
  return burndownInstants(bounds).map((p) => {
    const r = p.hour === null ? undefined : byHour.get(p.hour);
    if (r) {
      seen = true;
      bad += Number(r.total) - Number(r.good);
    }
    return {
      at: new Date(p.atMs).toISOString(),
      sliRatio: r && Number(r.total) > 0 ? Number(r.good) / Number(r.total) : null,
      budgetRemainingRatio: seen && allowedBad > 0 ? 1 - bad / allowedBad : null,
      idealRemainingRatio: p.idealRemainingRatio,
      events: r ? Number(r.total) : 0,
    };
  });
}

export async function getSloDetail(db: Database, name: string, now = new Date()) {
  const [slo] = await listSloOverview(db, { name });
  if (!slo) throw new DomainError("not_found", `no SLO named ${name}`);
  const events = await db.prisma.alertEvent.findMany({ where: { sloId: slo.id }, orderBy: { id: "desc" }, take: 50 });
  const rebuild = await db.prisma.sloRebuild.findUnique({ where: { sloId: slo.id } });
  return {
    slo,
    series: await sloSeries(db, slo, now),
    events: events.map((e) => ({ id: e.id.toString(), type: e.type, key: e.key, severity: e.severity, at: e.at.toISOString(), summary: e.summary })),
    rebuild: rebuild ? rebuildView(rebuild) : null,
  };
}

export function rebuildView(r: { status: string; progressRatio: number; message: string; requestedAt: Date; finishedAt: Date | null }) {
  return { status: r.status as "pending" | "running" | "done" | "failed", progressRatio: r.progressRatio, message: r.message, requestedAt: r.requestedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null };
}

/** Daily SLI of each SLO over the last `days` days (null for days without events), oldest first. */
export async function sloSparklines(db: Database, sloIds: string[], now: Date, days = 30): Promise<Map<string, (number | null)[]>> {
  const lastDay = Math.floor(now.getTime() / 86_400_000);
  const firstDay = lastDay - days + 1;
  const rows = sloIds.length
    ? await db.sql.query<{ slo_id: string; day: number; good: number; total: number }>(
        `SELECT slo_id::text AS slo_id, (minute / 1440)::int AS day, sum(good)::float8 AS good, sum(total)::float8 AS total
         FROM slo_minute_rollups WHERE slo_id = ANY($1::uuid[]) AND minute >= $2 GROUP BY 1, 2`,
        [sloIds, firstDay * 1440],
      )
    : [];
  const out = new Map(sloIds.map((id) => [id, Array.from({ length: days }, () => null as number | null)]));
  for (const r of rows) {
    const series = out.get(r.slo_id);
    const i = Number(r.day) - firstDay;
    if (series && i >= 0 && i < days && Number(r.total) > 0) series[i] = Number(r.good) / Number(r.total);
  }
  return out;
}
