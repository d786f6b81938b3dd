// What the Alerts page shows about SLO alerts: the ones firing now and the latest firings/resolutions.
import type { Database } from "../../db/client";

export type FiringAlert = { sloName: string; service: string; key: string; severity: string; since: string | null; summary: string };
export type AlertEventRow = { id: string; sloName: string; type: string; key: string; severity: string; at: string; summary: string };

export async function listFiringAlerts(db: Database): Promise<FiringAlert[]> {
  const rows = await db.prisma.sloAlert.findMany({ where: { status: "firing" }, include: { slo: { select: { name: true, service: true } } }, orderBy: [{ severity: "asc" }, { statusSinceAt: "desc" }] });
  return rows.map((r) => ({ sloName: r.slo.name, service: r.slo.service, key: r.key, severity: r.severity, since: r.statusSinceAt?.toISOString() ?? null, summary: r.summary }));
}

export async function listRecentAlertEvents(db: Database, limit = 25): Promise<AlertEventRow[]> {
  const rows = await db.prisma.alertEvent.findMany({ orderBy: { id: "desc" }, take: limit });
  return rows.map((e) => ({ id: e.id.toString(), sloName: e.sloName, type: e.type, key: e.key, severity: e.severity, at: e.at.toISOString(), summary: e.summary }));
}
