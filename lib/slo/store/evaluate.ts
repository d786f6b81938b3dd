// The engine's SLO evaluation: for every SLO, budget and burn rates from its minute rollups, then
// the alert state machine; status, alert states and alert events are written in one transaction.
import type { Database } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import type { Logger } from "../../observability/logger";
import { evaluateSloAlerts, type AlertState } from "../core/alert-state";
import { computeBudget, forecastBudgetExhaustion, windowBounds } from "../core/budget";
import { evaluateBurnRates } from "../core/burn-rate";
import { definitionObjective, parseSloDefinition, type SloDefinition } from "../core/definition";
import { loadRollupSums, type SloRollupSums } from "./rollup-sums";
import { writeSloStatuses, type SloStatusRow } from "./status-writer";
import { enqueueAlertEventWebhooks } from "../../webhooks/store/outbox";

export type SloEvaluationSummary = { evaluated: number; notifications: number };

export async function evaluateAllSlos(ctx: { db: Database; logger: Logger; now: Date }): Promise<SloEvaluationSummary> {
  const slos = await ctx.db.prisma.slo.findMany({ include: { alerts: true } });
  const valid = slos.flatMap((slo) => {
    const parsed = parseSloDefinition(slo.definition);
    if (parsed.ok) return [{ id: slo.id, name: slo.name, createdAt: slo.createdAt, definition: parsed.definition, alerts: slo.alerts }];
    ctx.logger.warn("stored SLO does not validate; skipped", { slo: slo.name, reason: parsed.reason });
    return [];
  });
  // Two queries for all SLOs, summed in SQL per window: a tick reads 1,000 SLOs × 30 days without fetching every row.
  const sums = await loadRollupSums(ctx.db.sql, valid, ctx.now);
  let notifications = 0;
  const statuses: SloStatusRow[] = [];
  for (const slo of valid) {
    const outcome = await evaluateOne(ctx, { ...slo, rollups: sums.get(slo.id)! });
    notifications += outcome.notifications;
    statuses.push(outcome.status);
  }
  // Status is derived and rewritten every tick, so it goes in one bulk upsert; alert transitions keep their own transaction.
  await writeSloStatuses(ctx.db.sql, statuses);
  return { evaluated: slos.length, notifications };
}

type AlertRow = { key: string; kind: string; severity: string; status: string; statusSinceAt: Date | null; firedAt: Date | null; resolvedAt: Date | null };

async function evaluateOne(
  ctx: { db: Database; now: Date },
  slo: { id: string; name: string; createdAt: Date; definition: SloDefinition; alerts: AlertRow[]; rollups: SloRollupSums },
): Promise<{ notifications: number; status: SloStatusRow }> {
  const { definition } = slo;
  const { now } = ctx;
  const objective = definitionObjective(definition);
  const bounds = windowBounds(definition.window, now);
  const budget = computeBudget({ rollups: slo.rollups.budgetRollups, window: definition.window, objective, budgeting: definition.budgeting, now });
  const burn = evaluateBurnRates({ rollups: slo.rollups.burnRollups, objective, rules: definition.alertPolicy.burnRateRules, window: definition.window, now });
  const prev = Object.fromEntries(slo.alerts.map((a) => [a.key, a as unknown as AlertState]));
  // An SLO that never had data counts its silence from its creation, so a new SLO does not page "no data" at once.
  const sinceCreated = Math.floor((now.getTime() - slo.createdAt.getTime()) / 60_000);
  const burnForAlerts = burn.minutesSinceLastData === null ? { ...burn, minutesSinceLastData: sinceCreated } : burn;
  const alerts = evaluateSloAlerts({ prev, burn: burnForAlerts, budget, policy: definition.alertPolicy, now });
  const fastest = burn.windows[0]?.burnRate ?? null;
  const forecast = forecastBudgetExhaustion({ budgetRemainingRatio: budget.budgetRemainingRatio, burnRate: fastest, windowMinutes: bounds.windowMinutes, now });
  const status: SloStatusRow = {
    sloId: slo.id,
    evaluatedAt: now,
    noData: budget.noData,
    sliRatio: budget.sliRatio,
    budgetRemainingRatio: budget.budgetRemainingRatio,
    budgetConsumedRatio: budget.budgetConsumedRatio,
    firingSeverity: burn.firingSeverity,
    exhaustionAt: forecast?.exhaustedAt ?? null,
    report: { budget, burn, forecast },
  };
  if (alerts.transitions.length === 0 && alerts.notifications.length === 0) return { notifications: 0, status };

  await ctx.db.prisma.$transaction(async (tx) => {
    for (const t of alerts.transitions) {
      const key = t.state.kind === "burnRate" ? `burnRate:${t.state.severity}` : t.state.kind;
      const row = { kind: t.state.kind, severity: t.state.severity, status: t.state.status, statusSinceAt: t.state.statusSinceAt, firedAt: t.state.firedAt, resolvedAt: t.state.resolvedAt, summary: t.notifications[0]?.summary ?? "" };
      await tx.sloAlert.upsert({ where: { sloId_key: { sloId: slo.id, key } }, create: { sloId: slo.id, key, ...row }, update: row });
    }
    if (alerts.notifications.length) {
      const events = await tx.alertEvent.createManyAndReturn({
        data: alerts.notifications.map((n) => ({ sloId: slo.id, sloName: slo.name, key: n.kind === "burnRate" ? `burnRate:${n.severity}` : n.kind, type: n.type, severity: n.severity, at: n.at, firedAt: n.firedAt, summary: n.summary, values: n.values as Prisma.InputJsonValue })),
      });
      await enqueueAlertEventWebhooks(tx, { definition, events, budget, burn, forecast });
    }
  });
  return { notifications: alerts.notifications.length, status };
}
