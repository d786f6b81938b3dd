// The release gate as a service: gathers SLO figures, firing alerts and open signals for the
// services asked about, lets the pure decideGate judge them, and records the evaluation.
import { z } from "zod";
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { DomainError } from "../../errors";
import { judgeCanary } from "../core/canary";
import { decideGate, type GateDecisionValue, type GateSloInput } from "../core/decide";
import { canaryScopeReason } from "../core/reasons";
import { canaryThresholds, GatePolicySchema, sloInScope, type GatePolicy } from "../core/policy";
import type { GateReason } from "../core/reasons";
import { applyOverride } from "../core/override";
import { parseSloDefinition, type SloDefinition } from "../../slo/core/definition";
import { openSignalsForGate } from "../../signals/store/signals";
import { enqueueWebhookEvent } from "../../webhooks/store/outbox";
import { CANARY_SPAN_CAP, canaryFigures, firstSpanOfVersion, majorityVersionBefore } from "./canary-figures";
import { overrideFor } from "./overrides";
import { CanaryComparisonView, CanaryView, type GateResult } from "../core/result-view";
import { GateRequest } from "../core/requests";

export type { GateResult } from "../core/result-view";

const WINDOW_LABELS: Record<number, string> = { 5: "5m", 30: "30m", 60: "1h", 120: "2h", 360: "6h", 1440: "1d", 4320: "3d" };

export async function loadPolicy(db: Database, name: string): Promise<GatePolicy> {
  const row = await db.prisma.gatePolicy.findUnique({ where: { name } });
  if (!row) {
    if (name === "default") return GatePolicySchema.parse({});
    throw new DomainError("not_found", `no gate policy named ${name}`);
  }
  return GatePolicySchema.parse(row.policy);
}

/** Every SLO with its latest figures, in the shape decideGate takes. */
export async function gateSloInputs(db: Database): Promise<GateSloInput[]> {
  const slos = await db.prisma.slo.findMany({ include: { status: true, alerts: { where: { status: "firing" } } } });
  return slos.flatMap((slo) => {
    const parsed = parseSloDefinition(slo.definition);
    if (!parsed.ok) return [];
    const report = slo.status?.report as { burn?: { windows?: { windowMinutes: number; burnRate: number | null }[] } } | undefined;
    const burnRates = Object.fromEntries((report?.burn?.windows ?? []).map((w) => [WINDOW_LABELS[w.windowMinutes] ?? `${w.windowMinutes}m`, w.burnRate]));
    return [
      {
        name: slo.name,
        service: slo.service,
        labels: parsed.definition.labels,
        budgetRemainingRatio: !slo.status || slo.status.noData ? null : slo.status.budgetRemainingRatio,
        burnRates,
        firingAlerts: slo.alerts.map((a) => ({ name: `${slo.name}/${a.key}`, severity: a.severity === "page" ? ("page" as const) : ("ticket" as const) })),
        // Never evaluated counts as stale: the gate must not vouch for an SLO the engine has not looked at.
        evaluatedAt: slo.status?.evaluatedAt ?? new Date(0),
      },
    ];
  });
}

/** A canary verdict as the gate weighs it (reasons) and answers it (view, comparisons). */
interface CanaryOutcome {
  view: CanaryView;
  comparisons: CanaryComparisonView[];
  reasons: GateReason[];
}

const NS_PER_MS = 1_000_000n;
const isoToNs = (iso: string) => BigInt(Date.parse(iso)) * NS_PER_MS;
const nsToIso = (ns: bigint) => new Date(Number(ns / NS_PER_MS)).toISOString();

/** The SLOs a gate with this (request-scoped) policy looks at, with their definitions. */
async function scopedSloDefinitions(db: Database, policy: GatePolicy): Promise<{ id: string; name: string; definition: SloDefinition }[]> {
  const rows = await db.prisma.slo.findMany({ select: { id: true, name: true, service: true, definition: true }, orderBy: { name: "asc" } });
  return rows.flatMap((row) => {
    const parsed = parseSloDefinition(row.definition);
    return parsed.ok && sloInScope(policy.scope, { service: row.service, labels: parsed.definition.labels }) ? [{ id: row.id, name: row.name, definition: parsed.definition }] : [];
  });
}

/** JSON has no infinity: a p95 rise over a zero baseline keeps its message and loses its figure. */
const finiteFigure = (r: GateReason): GateReason => (r.figure === undefined || Number.isFinite(r.figure) ? r : { ...r, figure: undefined });

/**
 * Compares the candidate version of the one service asked about with its baseline over one interval: from the
 * candidate's first span (or the window asked for) until now, both sides read from raw spans and jobs.
 */
async function judgeCanaryRelease(db: Database, request: GateRequest, policy: GatePolicy, now: Date): Promise<CanaryOutcome | null> {
  const [service] = request.services;
  const candidateVersion = request.version;
  if (!request.baseline || !service || !candidateVersion) return null;
  const nowNs = BigInt(now.getTime()) * NS_PER_MS;
  const window = request.window ? { fromNs: isoToNs(request.window.from), toNs: request.window.to ? isoToNs(request.window.to) : nowNs } : null;
  if (window && window.fromNs >= nowNs) throw new DomainError("invalid", "window.from: must be in the past", [{ path: "body.window.from", message: "must be in the past" }]);
  const alone = (baselineVersion: string | null, reason: GateReason): CanaryOutcome => ({ view: { candidateVersion, baselineVersion, from: null, to: null }, comparisons: [], reasons: [reason] });
  const firstNs = await firstSpanOfVersion(db.sql, service, candidateVersion);
  if (firstNs === null) return alone(request.baseline.version ?? null, canaryScopeReason.noCandidate(service, candidateVersion));
  const baselineVersion = request.baseline.version ?? (await majorityVersionBefore(db.sql, { service, beforeNs: firstNs, excluding: candidateVersion }));
  if (!baselineVersion) return alone(null, canaryScopeReason.noBaseline(service, candidateVersion, nsToIso(firstNs)));
  const fromNs = window?.fromNs ?? firstNs;
  const toNs = window?.toNs ?? nowNs;
  const figures = await canaryFigures(db.sql, await scopedSloDefinitions(db, policy), { service, candidateVersion, baselineVersion, fromNs, toNs, maxSpansPerSide: CANARY_SPAN_CAP });
  const judged = judgeCanary({ slos: figures.slos, thresholds: canaryThresholds(policy) });
  const comparisons = judged.comparisons.map((c, i) => {
    const capped = figures.slos[i]!.capped;
    return { ...c, pValue: Number.isNaN(c.pValue) ? 1 : c.pValue, candidate: { ...c.candidate, capped: capped.candidate }, baseline: { ...c.baseline, capped: capped.baseline } };
  });
  const cappedReasons = figures.slos.flatMap((f) => {
    const sides = [...(f.capped.candidate ? ["candidate"] : []), ...(f.capped.baseline ? ["baseline"] : [])];
    return sides.length ? [canaryScopeReason.capped(f.slo, sides, CANARY_SPAN_CAP)] : [];
  });
  return {
    view: { candidateVersion, baselineVersion, from: nsToIso(fromNs), to: nsToIso(toNs) },
    comparisons,
    reasons: [...judged.reasons.map(finiteFigure), ...cappedReasons, ...figures.skipped.map((s) => canaryScopeReason.skipped(s.slo, s.sli))],
  };
}

/** Evaluates and records one gate request; Idempotency-Key replays are the route's (lib/api/http/idempotency-store.ts). */
export async function evaluateGate(ctx: ServiceContext, request: GateRequest, opts: { idempotencyKey?: string; now?: Date } = {}): Promise<GateResult> {
  const { db } = ctx;
  const now = opts.now ?? new Date();
  const basePolicy = await loadPolicy(db, request.policy);
  const policy: GatePolicy = { ...basePolicy, scope: { ...basePolicy.scope, services: request.services.length ? request.services : basePolicy.scope.services } };
  const canary = await judgeCanaryRelease(db, request, policy, now);
  const judged = decideGate({ policy, slos: await gateSloInputs(db), openSignals: await openSignalsForGate(db), now, canaryReasons: canary?.reasons });
  const override = judged.decision === "pass" ? null : await overrideFor(db, { services: request.services, version: request.version ?? null }, now);
  const decision = override ? applyOverride(judged, override) : judged;
  const base = {
    decision: decision.decision, reasons: decision.reasons, evaluatedAt: decision.evaluatedAt, services: request.services, version: request.version ?? null, policy: request.policy, replayed: false,
    ...(canary ? { canary: canary.view, comparisons: canary.comparisons } : {}),
  };
  if (request.dryRun) return { evaluationId: null, ...base };
  const row = await recordEvaluation(ctx, { request, decision, policy, now, idempotencyKey: opts.idempotencyKey, overrideId: override?.id ?? null, judged: judged.decision, canary });
  return { evaluationId: row.id, ...base };
}

async function recordEvaluation(
  ctx: ServiceContext,
  args: { request: GateRequest; decision: ReturnType<typeof decideGate>; policy: GatePolicy; now: Date; idempotencyKey?: string; overrideId: string | null; judged: GateDecisionValue; canary: CanaryOutcome | null },
) {
  const { request, decision, policy, now, canary } = args;
  // What was asked (auto or named baseline, window) beside what was compared, so a listing can show the verdict again.
  const storedCanary = canary ? { view: canary.view, comparisons: canary.comparisons, baseline: request.baseline, window: request.window ?? null } : null;
  return ctx.db.prisma.$transaction(async (tx) => {
    const created = await tx.gateEvaluation.create({
      data: {
        services: request.services,
        version: request.version ?? null,
        policyName: request.policy,
        decision: decision.decision,
        reasons: decision.reasons as unknown as Prisma.InputJsonValue,
        inputs: { policy: policy as unknown as Prisma.InputJsonValue, ...(storedCanary ? { canary: storedCanary as unknown as Prisma.InputJsonValue } : {}) },
        actorName: ctx.actor.name,
        idempotencyKey: args.idempotencyKey ?? null,
        overrideId: args.overrideId,
        createdAt: now,
      },
    });
    await recordAudit(tx, { actor: ctx.actor, action: "gate.evaluate", targetType: "gate", targetId: created.id, details: { decision: decision.decision, services: request.services, version: request.version, ...(request.baseline ? { baseline: request.baseline, baselineVersion: canary?.view.baselineVersion ?? null, window: request.window ?? null } : {}), ...(args.overrideId ? { overrideId: args.overrideId, withoutOverride: args.judged } : {}) }, requestId: ctx.requestId });
    if (decision.decision === "fail") {
      const at = now.toISOString();
      const what = `${request.services.join(", ") || "all services"}${request.version ? ` ${request.version}` : ""}`;
      await enqueueWebhookEvent(tx, {
        key: `gate_evaluation:${created.id}`,
        type: "gate.failed",
        status: "firing",
        occurredAt: at,
        name: "ReleaseGateFailed",
        service: request.services.length === 1 ? (request.services[0] ?? null) : null,
        severity: "ticket",
        summary: `Release gate failed for ${what}`,
        description: decision.reasons.filter((r) => r.level === "fail").map((r) => r.message).join(" "),
        startsAt: at,
        endsAt: null,
        labels: { policy: request.policy, ...(request.version ? { version: request.version } : {}) },
        links: { console: "/gates" },
      });
    }
    return created;
  });
}

type Row = { id: string; createdAt: Date; services: string[]; version: string | null; policyName: string; decision: string; reasons: Prisma.JsonValue; inputs?: Prisma.JsonValue };

const StoredCanary = z.looseObject({ view: CanaryView, comparisons: z.array(CanaryComparisonView) });

export function toResult(row: Row): GateResult {
  const stored = StoredCanary.safeParse((row.inputs as { canary?: unknown } | null | undefined)?.canary);
  return {
    evaluationId: row.id,
    decision: row.decision as GateDecisionValue,
    reasons: row.reasons as unknown as GateReason[],
    evaluatedAt: row.createdAt.toISOString(),
    services: row.services,
    version: row.version,
    policy: row.policyName,
    replayed: false,
    ...(stored.success ? { canary: stored.data.view, comparisons: stored.data.comparisons } : {}),
  };
}

export async function listGateEvaluations(db: Database, opts: { limit: number; service?: string }): Promise<GateResult[]> {
  const rows = await db.prisma.gateEvaluation.findMany({ where: opts.service ? { services: { has: opts.service } } : undefined, orderBy: { createdAt: "desc" }, take: opts.limit });
  return rows.map(toResult);
}

export async function savePolicy(ctx: ServiceContext, name: string, input: unknown): Promise<GatePolicy> {
  const parsed = GatePolicySchema.safeParse(input);
  if (!parsed.success) throw new DomainError("invalid", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), parsed.error.issues);
  await ctx.db.prisma.$transaction(async (tx) => {
    await tx.gatePolicy.upsert({ where: { name }, create: { name, policy: parsed.data as unknown as Prisma.InputJsonValue }, update: { policy: parsed.data as unknown as Prisma.InputJsonValue } });
    await recordAudit(tx, { actor: ctx.actor, action: "gate.policy.save", targetType: "gate_policy", targetId: name, details: parsed.data as unknown as Record<string, unknown>, requestId: ctx.requestId });
  });
  return parsed.data;
}
