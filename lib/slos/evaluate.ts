// The engine's SLO evaluation: for every SLO, budget and burn rates from its minute rollups, then
// the alert state machine; status, alert states and alert events are written in one transaction.
import type { Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { Logger } from "../observability/logger";
import { evaluateSloAlerts, type AlertState } from "../slo/alert-state";
import { computeBudget, forecastBudgetExhaustion, windowBounds } from "../slo/budget";
import { evaluateBurnRates } from "../slo/burn-rate";
import { definitionObjective, parseSloDefinition, type SloDefinition } from "../slo/definition";
import { unixMinuteOf, type MinuteRollup } from "../slo/series";

export type SloEvaluationSummary = { evaluated: number; notifications: number };

export async function evaluateAllSlos(ctx: { db: Database; logger: Logger; now: Date }): Promise<SloEvaluationSummary> {
  const slos = await ctx.db.prisma.slo.findMany({ include: { alerts: true } });
  let notifications = 0;
  for (const slo of slos) {
    const parsed = parseSloDefinition(slo.definition);
    if (!parsed.ok) {
      ctx.logger.warn("stored SLO does not validate; skipped", { slo: slo.name, reason: parsed.reason });
      continue;
    }
    notifications += await evaluateOne(ctx, { id: slo.id, name: slo.name, definition: parsed.definition, alerts: slo.alerts });
  }
  return { evaluated: slos.length, notifications };
}

type AlertRow = { key: string; kind: string; severity: string; status: string; statusSinceAt: Date | null; firedAt: Date | null; resolvedAt: Date | null };

async function evaluateOne(ctx: { db: Database; now: Date }, slo: { id: string; name: string; definition: SloDefinition; alerts: AlertRow[] }): Promise<number> {
  const { definition } = slo;
  const { now } = ctx;
  const objective = definitionObjective(definition);
  const longestRuleMinutes = Math.max(0, ...definition.alertPolicy.burnRateRules.map((r) => r.longWindowMinutes));
  const bounds = windowBounds(definition.window, now);
  const fromMinute = Math.min(bounds.firstMinute, unixMinuteOf(now) - longestRuleMinutes + 1);
  const rollups: MinuteRollup[] = (
    await ctx.db.prisma.sloMinuteRollup.findMany({ where: { sloId: slo.id, minute: { gte: fromMinute } }, select: { minute: true, good: true, total: true } })
  ).map((r) => ({ minuteUnix: r.minute * 60, good: r.good, total: r.total }));

  const budget = computeBudget({ rollups, window: definition.window, objective, budgeting: definition.budgeting, now });
  const burn = evaluateBurnRates({ rollups, objective, rules: definition.alertPolicy.burnRateRules, window: definition.window, now });
  const prev = Object.fromEntries(slo.alerts.map((a) => [a.key, a as unknown as AlertState]));
  const alerts = evaluateSloAlerts({ prev, burn, budget, policy: definition.alertPolicy, now });
  const fastest = burn.windows[0]?.burnRate ?? null;
  const forecast = forecastBudgetExhaustion({ budgetRemainingRatio: budget.budgetRemainingRatio, burnRate: fastest, windowMinutes: bounds.windowMinutes, now });
  const report = { budget, burn, forecast } as unknown as Prisma.InputJsonValue;

  await ctx.db.prisma.$transaction(async (tx) => {
    const status = {
      evaluatedAt: now,
      noData: budget.noData,
      sliRatio: budget.sliRatio,
      budgetRemainingRatio: budget.budgetRemainingRatio,
      budgetConsumedRatio: budget.budgetConsumedRatio,
      firingSeverity: burn.firingSeverity,
      exhaustionAt: forecast?.exhaustedAt ?? null,
      report,
    };
    await tx.sloStatus.upsert({ where: { sloId: slo.id }, create: { sloId: slo.id, ...status }, update: status });
    for (const t of alerts.transitions) {
      const key = t.state.kind === "burnRate" ? `burnRate:${t.state.severity}` : t.state.kind;
      const row = { kind: t.state.kind, severity: t.state.severity, status: t.state.status, statusSinceAt: t.state.statusSinceAt, firedAt: t.state.firedAt, resolvedAt: t.state.resolvedAt, summary: t.notifications[0]?.summary ?? "" };
      await tx.sloAlert.upsert({ where: { sloId_key: { sloId: slo.id, key } }, create: { sloId: slo.id, key, ...row }, update: row });
    }
    if (alerts.notifications.length) {
      await tx.alertEvent.createMany({
        data: alerts.notifications.map((n) => ({ sloId: slo.id, sloName: slo.name, key: n.kind === "burnRate" ? `burnRate:${n.severity}` : n.kind, type: n.type, severity: n.severity, at: n.at, firedAt: n.firedAt, summary: n.summary, values: n.values as Prisma.InputJsonValue })),
      });
    }
  });
  return alerts.notifications.length;
}
