// Audit log: one row for every change, written in the same transaction as the change itself.
import type { Prisma, PrismaClient } from "../db/generated/client";

type Tx = Pick<PrismaClient, "auditLog"> | Prisma.TransactionClient;

/** Who acted, as the log records it; an auth `Actor` is one. */
export type AuditActor = { type: "user" | "token"; id: string; name: string } | { type: "system"; name: string };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string;
};

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorType: entry.actor.type,
      actorId: entry.actor.type === "system" ? null : entry.actor.id,
      actorName: entry.actor.name,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
      requestId: entry.requestId ?? null,
    },
  });
}

export type AuditRow = { id: string; at: string; actorType: string; actorName: string; action: string; targetType: string; targetId: string | null; details: unknown; requestId: string | null };

export async function listAudit(prisma: PrismaClient, opts: { limit: number; before?: string }): Promise<AuditRow[]> {
  const rows = await prisma.auditLog.findMany({
    where: opts.before ? { id: { lt: BigInt(opts.before) } } : undefined,
    orderBy: { id: "desc" },
    take: opts.limit,
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorName: r.actorName,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    requestId: r.requestId,
  }));
}
