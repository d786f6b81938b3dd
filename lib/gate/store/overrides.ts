// Release-gate overrides as a service: granted and revoked by administrators, audited, and looked up
// by the gate for the services and version it is asked about.
import { z } from "zod";
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import { DomainError } from "../../errors";
import { type GateOverrideInput, overrideCovers } from "../core/override";
import { GateOverrideRequest, type GateOverrideView } from "../core/requests";

type Row = GateOverrideInput & { createdAt: Date; revokedBy: string | null };

function view(row: Row, now: Date): GateOverrideView {
  return {
    id: row.id, services: row.services, version: row.version, reason: row.reason, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(), revokedAt: row.revokedAt?.toISOString() ?? null, revokedBy: row.revokedBy, active: row.revokedAt === null && row.expiresAt > now,
  };
}

export async function createGateOverride(ctx: ServiceContext, input: GateOverrideRequest, now = new Date()): Promise<GateOverrideView> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const row = await tx.gateOverride.create({
      data: { services: input.services, version: input.version ?? null, reason: input.reason, createdBy: ctx.actor.name, createdAt: now, expiresAt: new Date(now.getTime() + input.expiresInMinutes * 60_000) },
    });
    await recordAudit(tx, { actor: ctx.actor, action: "gate.override.create", targetType: "gate_override", targetId: row.id, details: { services: row.services, version: row.version, reason: row.reason, expiresAt: row.expiresAt.toISOString() }, requestId: ctx.requestId });
    return view(row, now);
  });
}

export async function revokeGateOverride(ctx: ServiceContext, id: string, now = new Date()): Promise<GateOverrideView> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const row = z.uuid().safeParse(id).success ? await tx.gateOverride.findUnique({ where: { id } }) : null;
    if (!row) throw new DomainError("not_found", `no gate override ${id}`);
    if (row.revokedAt) return view(row, now);
    const updated = await tx.gateOverride.update({ where: { id }, data: { revokedAt: now, revokedBy: ctx.actor.name } });
    await recordAudit(tx, { actor: ctx.actor, action: "gate.override.revoke", targetType: "gate_override", targetId: id, details: { services: row.services, version: row.version }, requestId: ctx.requestId });
    return view(updated, now);
  });
}

export async function listGateOverrides(db: Database, now = new Date()): Promise<GateOverrideView[]> {
  const rows = await db.prisma.gateOverride.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((r) => view(r, now));
}

/** The newest active override covering this release, if any. */
export async function overrideFor(db: Database, request: { services: string[]; version: string | null }, now: Date): Promise<GateOverrideInput | null> {
  const rows = await db.prisma.gateOverride.findMany({ where: { revokedAt: null, expiresAt: { gt: now }, services: { hasEvery: request.services } }, orderBy: { createdAt: "desc" } });
  return rows.find((r) => overrideCovers(r, request, now)) ?? null;
}
