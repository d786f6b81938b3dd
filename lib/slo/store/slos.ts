// SLO definitions in the database: list, read, create, replace, delete and apply a desired set,
// each change validated with the SLO schema and written with its audit row in one transaction.
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { DomainError } from "../../errors";
import { parseSloDefinition, type SloDefinition } from "../core/definition";
import { diffDefinitions, type DefinitionDiff } from "../core/diff";
import { requestRebuild } from "./rebuild";

export type StoredSlo = { id: string; version: number; createdAt: string; updatedAt: string; definition: SloDefinition };

type Row = { id: string; version: number; createdAt: Date; updatedAt: Date; definition: Prisma.JsonValue };

function toStored(row: Row): StoredSlo {
  const parsed = parseSloDefinition(row.definition);
  // Rows are validated on write; a row that no longer parses means the schema changed incompatibly.
  if (!parsed.ok) throw new Error(`stored SLO ${row.id} no longer validates: ${parsed.reason}`);
  return { id: row.id, version: row.version, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), definition: parsed.definition };
}

export function validateDefinition(input: unknown): SloDefinition {
  const parsed = parseSloDefinition(input);
  if (!parsed.ok) throw new DomainError("invalid", parsed.reason, parsed.issues);
  return parsed.definition;
}

export async function listSlos(db: Database, filter: { service?: string; name?: string } = {}): Promise<StoredSlo[]> {
  const rows = await db.prisma.slo.findMany({ where: { service: filter.service, name: filter.name }, orderBy: { name: "asc" } });
  return rows.map(toStored);
}

export async function getSlo(db: Database, name: string): Promise<StoredSlo> {
  const row = await db.prisma.slo.findUnique({ where: { name } });
  if (!row) throw new DomainError("not_found", `no SLO named ${name}`);
  return toStored(row);
}

export async function createSlo(ctx: ServiceContext, input: unknown): Promise<StoredSlo> {
  const definition = validateDefinition(input);
  return ctx.db.prisma.$transaction(async (tx) => {
    if (await tx.slo.findUnique({ where: { name: definition.name } })) throw new DomainError("conflict", `an SLO named ${definition.name} already exists`);
    const row = await tx.slo.create({ data: { name: definition.name, service: definition.service, definition: definition as Prisma.InputJsonValue } });
    // A new SLO gets its history from the raw telemetry already stored.
    await requestRebuild(tx, row.id);
    await recordAudit(tx, { actor: ctx.actor, action: "slo.create", targetType: "slo", targetId: definition.name, details: { service: definition.service, objectivePercent: definition.objectivePercent }, requestId: ctx.requestId });
    return toStored(row);
  });
}

/** Replaces the definition of an existing SLO; `name` in the body must match the path. */
export async function replaceSlo(ctx: ServiceContext, name: string, input: unknown): Promise<StoredSlo> {
  const definition = validateDefinition(input);
  if (definition.name !== name) throw new DomainError("invalid", `body.name (${definition.name}) must match the SLO in the path (${name}); SLOs are not renamed`);
  return ctx.db.prisma.$transaction(async (tx) => {
    const existing = await tx.slo.findUnique({ where: { name } });
    if (!existing) throw new DomainError("not_found", `no SLO named ${name}`);
    const diff = diffDefinitions([toStored(existing).definition], [definition]);
    if (diff.unchanged.length === 1) return toStored(existing);
    const row = await tx.slo.update({ where: { name }, data: { service: definition.service, definition: definition as Prisma.InputJsonValue, version: { increment: 1 } } });
    if (diff.updates[0]?.changedFields.some((f) => f.startsWith("sli"))) await requestRebuild(tx, row.id);
    await recordAudit(tx, { actor: ctx.actor, action: "slo.update", targetType: "slo", targetId: name, details: { changedFields: diff.updates[0]?.changedFields ?? [] }, requestId: ctx.requestId });
    return toStored(row);
  });
}

export async function deleteSlo(ctx: ServiceContext, name: string): Promise<void> {
  await ctx.db.prisma.$transaction(async (tx) => {
    const existing = await tx.slo.findUnique({ where: { name } });
    if (!existing) throw new DomainError("not_found", `no SLO named ${name}`);
    await tx.slo.delete({ where: { name } });
    await recordAudit(tx, { actor: ctx.actor, action: "slo.delete", targetType: "slo", targetId: name, requestId: ctx.requestId });
  });
}

export type ApplyResult = { diff: DefinitionDiff; applied: boolean; pruned: boolean };

/**
 * Brings the stored SLOs to the desired set (what `tailguard apply` sends). With dryRun only the
 * diff is returned; SLOs absent from the set are deleted only with prune. All or nothing.
 */
export async function applySlos(ctx: ServiceContext, desired: SloDefinition[], opts: { dryRun: boolean; prune: boolean }): Promise<ApplyResult> {
  const names = desired.map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new DomainError("invalid", `the SLO ${dup} is defined more than once`);
  return ctx.db.prisma.$transaction(async (tx) => {
    const current = (await tx.slo.findMany()).map((r) => toStored(r).definition);
    const diff = diffDefinitions(current, desired);
    if (opts.dryRun) return { diff, applied: false, pruned: false };
    for (const d of diff.creates) {
      const created = await tx.slo.create({ data: { name: d.name, service: d.service, definition: d as Prisma.InputJsonValue } });
      await requestRebuild(tx, created.id);
    }
    for (const u of diff.updates) {
      const updated = await tx.slo.update({ where: { name: u.name }, data: { service: u.desired.service, definition: u.desired as Prisma.InputJsonValue, version: { increment: 1 } } });
      if (u.changedFields.some((f) => f.startsWith("sli"))) await requestRebuild(tx, updated.id);
    }
    if (opts.prune && diff.deletes.length) await tx.slo.deleteMany({ where: { name: { in: diff.deletes.map((d) => d.name) } } });
    const summary = { created: diff.creates.map((d) => d.name), updated: diff.updates.map((u) => u.name), deleted: opts.prune ? diff.deletes.map((d) => d.name) : [] };
    if (summary.created.length + summary.updated.length + summary.deleted.length > 0) {
      await recordAudit(tx, { actor: ctx.actor, action: "slo.apply", targetType: "slo", details: summary, requestId: ctx.requestId });
    }
    return { diff, applied: true, pruned: opts.prune };
  });
}
