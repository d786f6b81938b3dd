// Release-gate overrides as a service: granted and revoked by administrators, audited, and looked up
// by the gate for the services and version it is asked about.
import { z } from "zod";
import { recordAudit } from "../audit/audit";
import type { ServiceContext } from "../auth/service-context";
import type { Database } from "../db/client";
import { DomainError } from "../errors";
import { type GateOverrideInput, overrideCovers } from "../gate/override";
import { ServiceName } from "../otlp/service-name";

export const GateOverrideRequest = z
  .object({
    service: ServiceName.optional(),
    services: z.array(ServiceName).max(100).optional(),
    version: z.string().min(1).max(200).optional(),
    reason: z.string().trim().min(10, "say why, in at least 10 characters").max(1000),
    expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  })
  .transform(({ service, services, ...rest }) => ({ ...rest, services: [...new Set([...(services ?? []), ...(service ? [service] : [])])].sort() }))
  .refine((r) => r.services.length > 0, { message: "name the service(s) the override covers", path: ["services"] });
export type GateOverrideRequest = z.infer<typeof GateOverrideRequest>;

/** An override as the API and the console show it (the contract serves this schema). */
export const GateOverrideView = z
  .object({
    id: z.string(), services: z.array(z.string()), version: z.string().nullable(), reason: z.string(), createdBy: z.string(), createdAt: z.string(),
    expiresAt: z.string(), revokedAt: z.string().nullable(), revokedBy: z.string().nullable(), active: z.boolean(),
  })
  .strict();
export type GateOverrideView = z.infer<typeof GateOverrideView>;

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
