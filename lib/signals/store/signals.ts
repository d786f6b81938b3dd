// Signals in the database: one detection pass (read → detect → hysteresis → write, with the webhook
// events of each transition in the same transaction), and the reads the API, console and gate use (as `SignalView`).
import type { Database } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { applySignalTransition, signalFingerprint, type SignalEvent, type SignalState } from "../core/signal-state";
import { type DetectedSignal, detectSystem } from "../core/system";
import { type ThresholdConfig, thresholdsForService } from "../core/thresholds";
import type { SignalKind, SignalSeverity } from "../core/types";
import { DomainError } from "../../errors";
import type { WebhookEvent } from "../../webhooks/core/events";
import { enqueueWebhookEvent } from "../../webhooks/store/outbox";
import type { SignalPhase, SignalView } from "../core/signal-view";
import { readSystemSnapshot } from "./snapshot";

/** The engine evaluates this often; hysteresis counts evaluations of this length. */
export const DETECTION_STEP_SECONDS = 10;

/** `positive`: "kind:resource" of each detector that found something this pass (pending or open). */
export type DetectionSummary = { evaluated: number; candidates: number; positive: string[]; opened: number; resolved: number; updated: number };

type Evidence = { figures: Record<string, number | null>; exampleJobIds: string[]; series: string[]; charts: DetectedSignal["charts"] };

function webhookEventOf(event: SignalEvent, id: bigint, services: string[]): WebhookEvent {
  const opened = event.type !== "resolved";
  const words = { saturation: "Saturation", retry_storm: "RetryStorm", cache_stampede: "CacheStampede" }[event.kind];
  return {
    key: `signal:${id}:${event.type}`,
    type: opened ? "signal.opened" : "signal.resolved",
    status: opened ? "firing" : "resolved",
    occurredAt: event.at,
    name: `Tailguard${words}`,
    service: services[0] ?? null,
    severity: event.severity,
    summary: event.summary,
    description: `${{ saturation: "Saturation", retry_storm: "Retry storm", cache_stampede: "Cache stampede" }[event.kind]} on ${event.resource}; evidence: ${event.candidate.reasonCodes.join(", ")}.`,
    startsAt: event.openedAt,
    endsAt: opened ? null : event.at,
    labels: { signal_kind: event.kind, resource: event.resource, fingerprint: event.fingerprint, services: services.join(",") },
    links: { console: `/signals/${id}`, ...(event.candidate.evidence.exampleJobIds[0] ? { job: `/jobs/${encodeURIComponent(event.candidate.evidence.exampleJobIds[0])}` } : {}) },
  };
}

/** One pass over every queue, pool and caller → dependency; pending and open signals move on, new ones start pending. */
export async function runDetection(db: Database, opts: { now: Date; lagSeconds: number; thresholds: ThresholdConfig }): Promise<DetectionSummary> {
  const slos = await db.prisma.slo.findMany({ select: { definition: true } });
  const snapshot = await readSystemSnapshot(db.sql, { ...opts, sloDefinitions: slos.map((s) => s.definition) });
  const detected = detectSystem(snapshot);
  const active = await db.prisma.signal.findMany({ where: { activeKey: { not: null } } });
  const byFingerprint = new Map(active.map((row) => [row.fingerprint, row]));
  const summary: DetectionSummary = {
    evaluated: 0, candidates: detected.length, positive: detected.map((d) => `${d.candidate.kind}:${d.candidate.resource}`), opened: 0, resolved: 0, updated: 0,
  };
  const work = new Map<string, { found: DetectedSignal | null; row: (typeof active)[number] | null }>();
  for (const found of detected) work.set(signalFingerprint(found.candidate.kind, found.candidate.resource), { found, row: null });
  for (const [fingerprint, row] of byFingerprint) work.set(fingerprint, { found: work.get(fingerprint)?.found ?? null, row });

  for (const [fingerprint, { found, row }] of work) {
    summary.evaluated++;
    const services = found?.services ?? row?.services ?? [];
    // The service that acts (consumer, pool owner, caller) is the one whose thresholds judged the signal.
    const hysteresis = thresholdsForService(opts.thresholds, services[0] ?? "").hysteresis;
    const prev = row ? (row.state as unknown as SignalState) : null;
    const { state, events } = applySignalTransition({ prev, candidate: found?.candidate ?? null, now: opts.now, hysteresis, stepSeconds: DETECTION_STEP_SECONDS });
    const candidate = state?.candidate ?? prev?.candidate;
    if (!candidate) continue;
    const evidence: Evidence = {
      ...candidate.evidence,
      // Charts follow the newest positive evaluation; a resolving signal keeps the ones it opened with.
      charts: found?.charts ?? ((row?.evidence as unknown as Evidence | undefined)?.charts ?? []),
    };
    await db.prisma.$transaction(async (tx) => {
      const data = {
        severity: candidate.severity,
        summary: candidate.summary,
        reasonCodes: candidate.reasonCodes,
        services,
        evidence: evidence as unknown as Prisma.InputJsonValue,
        updatedAt: opts.now,
      };
      let id: bigint;
      if (row === null) {
        if (state === null) return;
        const created = await tx.signal.create({
          data: { ...data, fingerprint, activeKey: fingerprint, kind: candidate.kind, resource: candidate.resource, phase: state.phase, state: state as unknown as Prisma.InputJsonValue, firstSeenAt: opts.now, openedAt: state.openedAt ? new Date(state.openedAt) : null },
        });
        id = created.id;
      } else if (state === null) {
        // Resolved, or a pending streak that broke off before it opened (not worth keeping).
        if (row.phase === "pending") {
          await tx.signal.delete({ where: { id: row.id } });
          return;
        }
        await tx.signal.update({ where: { id: row.id }, data: { activeKey: null, phase: "resolved", resolvedAt: opts.now, updatedAt: opts.now, state: row.state as Prisma.InputJsonValue } });
        id = row.id;
      } else {
        await tx.signal.update({
          where: { id: row.id },
          data: { ...data, phase: state.phase, state: state as unknown as Prisma.InputJsonValue, openedAt: state.openedAt ? new Date(state.openedAt) : null },
        });
        id = row.id;
      }
      for (const event of events) {
        if (event.type === "opened") summary.opened++;
        else if (event.type === "resolved") summary.resolved++;
        else summary.updated++;
        if (event.type !== "updated") await enqueueWebhookEvent(tx, webhookEventOf(event, id, services));
      }
    });
  }
  return summary;
}

export type { SignalView } from "../core/signal-view";

type SignalRow = Awaited<ReturnType<Database["prisma"]["signal"]["findFirstOrThrow"]>>;

function toView(row: SignalRow, withCharts: boolean): SignalView {
  const evidence = row.evidence as unknown as Evidence;
  return {
    id: String(row.id), kind: row.kind as SignalKind, resource: row.resource, services: row.services, severity: row.severity as SignalSeverity,
    phase: row.phase as SignalPhase, summary: row.summary, reasonCodes: row.reasonCodes, figures: evidence.figures ?? {}, exampleJobIds: evidence.exampleJobIds ?? [],
    charts: withCharts ? (evidence.charts ?? []) : [],
    firstSeenAt: row.firstSeenAt.toISOString(), openedAt: row.openedAt?.toISOString() ?? null, resolvedAt: row.resolvedAt?.toISOString() ?? null, updatedAt: row.updatedAt.toISOString(),
  };
}

/** Open signals first, then the most recently resolved; pending ones (not yet confirmed) are left out. */
export async function listSignals(db: Database, opts: { status?: "open" | "resolved" | "all"; service?: string; limit?: number } = {}): Promise<SignalView[]> {
  const status = opts.status ?? "all";
  const rows = await db.prisma.signal.findMany({
    where: {
      phase: status === "all" ? { in: ["open", "resolved"] } : status,
      ...(opts.service ? { services: { has: opts.service } } : {}),
    },
    orderBy: [{ phase: "asc" }, { openedAt: "desc" }],
    take: Math.min(opts.limit ?? 100, 500),
  });
  return rows.map((r) => toView(r, false));
}

export async function getSignal(db: Database, id: string): Promise<SignalView> {
  const row = /^\d{1,18}$/.test(id) ? await db.prisma.signal.findUnique({ where: { id: BigInt(id) } }) : null;
  if (!row || row.phase === "pending") throw new DomainError("not_found", `no signal ${id}`);
  return toView(row, true);
}

/** Signals that name this job among their examples (newest first). */
export async function signalsForJob(db: Database, jobId: string): Promise<SignalView[]> {
  const rows = await db.sql.query<{ id: string }>(
    `SELECT id::text FROM signals WHERE phase <> 'pending' AND evidence->'exampleJobIds' ? $1 ORDER BY first_seen_at DESC LIMIT 20`,
    [jobId],
  );
  if (rows.length === 0) return [];
  const found = await db.prisma.signal.findMany({ where: { id: { in: rows.map((r) => BigInt(r.id)) } }, orderBy: { firstSeenAt: "desc" } });
  return found.map((r) => toView(r, false));
}

/** What the release gate weighs: every open signal. */
export async function openSignalsForGate(db: Database): Promise<{ kind: SignalKind; resource: string; severity: SignalSeverity; summary: string; services: string[] }[]> {
  const rows = await db.prisma.signal.findMany({ where: { phase: "open" }, select: { kind: true, resource: true, severity: true, summary: true, services: true } });
  return rows.map((r) => ({ kind: r.kind as SignalKind, resource: r.resource, severity: r.severity as SignalSeverity, summary: r.summary, services: r.services }));
}
