// Writes webhook deliveries to the outbox inside the caller's transaction: one row per event per
// endpoint that wants it; the (endpoint, eventKey) unique key makes a repeated enqueue a no-op.
import type { Prisma, PrismaClient } from "../../db/generated/client";
import type { BudgetReport, ExhaustionForecast } from "../../slo/core/budget";
import type { BurnRateEvaluation } from "../../slo/core/burn-rate";
import type { SloDefinition } from "../../slo/core/definition";
import { alertEventToWebhookEvent, sloSnapshot, type AlertEventFacts } from "../core/alert-events";
import { endpointWants, type WebhookEvent } from "../core/events";

type Tx = Prisma.TransactionClient | PrismaClient;

/** Enqueues `event` for every enabled endpoint that subscribes to it; returns how many rows were new. */
export async function enqueueWebhookEvent(tx: Tx, event: WebhookEvent): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { enabled: true }, select: { id: true, events: true, services: true } });
  const data = endpoints
    .filter((e) => endpointWants(e, event))
    .map((e) => ({ endpointId: e.id, eventType: event.type, eventKey: event.key, payload: event as unknown as Prisma.InputJsonValue }));
  if (data.length === 0) return 0;
  const { count } = await tx.webhookDelivery.createMany({ data, skipDuplicates: true });
  return count;
}

/** Enqueues the SLO alert events just written by the evaluation, with the SLO figures of that evaluation. */
export async function enqueueAlertEventWebhooks(
  tx: Tx,
  options: { definition: SloDefinition; events: readonly AlertEventFacts[]; budget: BudgetReport; burn: BurnRateEvaluation; forecast: ExhaustionForecast | null },
): Promise<number> {
  if (options.events.length === 0) return 0;
  const snapshot = sloSnapshot({ definition: options.definition, budgetRemainingRatio: options.budget.budgetRemainingRatio, burnWindows: options.burn.windows, forecast: options.forecast });
  let count = 0;
  for (const e of options.events) count += await enqueueWebhookEvent(tx, alertEventToWebhookEvent(e, options.definition, snapshot));
  return count;
}
