// Turns an SLO alert event (firing or resolved) and the SLO's figures into a webhook event.
import type { ExhaustionForecast } from "../../slo/core/budget";
import type { SloDefinition, SloWindow } from "../../slo/core/definition";
import type { SloSnapshot, WebhookEvent } from "./events";

export type AlertEventFacts = { id: bigint | number | string; sloName: string; key: string; type: string; severity: string; at: Date; firedAt: Date; summary: string };

const ALERT_NAMES: Record<string, string> = { burnRate: "SLOBurnRate", noData: "SLONoData", budgetExhausted: "SLOBudgetExhausted" };

export function windowLabel(window: SloWindow): string {
  return window.type === "rolling" ? `${window.durationDays}d rolling` : "calendar month (UTC)";
}

export function sloSnapshot(options: {
  definition: SloDefinition;
  budgetRemainingRatio: number | null;
  burnWindows: readonly { windowMinutes: number; burnRate: number | null }[];
  forecast: ExhaustionForecast | null;
}): SloSnapshot {
  const d = options.definition;
  return {
    name: d.name,
    displayName: d.displayName ?? null,
    service: d.service,
    objectivePercent: d.objectivePercent,
    window: windowLabel(d.window),
    burnRates: options.burnWindows.map((w) => ({ windowMinutes: w.windowMinutes, burnRate: w.burnRate })),
    budgetRemainingRatio: options.budgetRemainingRatio,
    exhaustionForecast: options.forecast ? { exhaustedAt: options.forecast.exhaustedAt.toISOString(), minutesUntilExhausted: options.forecast.minutesUntilExhausted } : null,
  };
}

export function alertEventKey(id: AlertEventFacts["id"]): string {
  return `alert_event:${String(id)}`;
}

export function alertEventToWebhookEvent(event: AlertEventFacts, definition: SloDefinition, slo: SloSnapshot): WebhookEvent {
  const kind = event.key.split(":")[0] ?? event.key;
  const firing = event.type === "firing";
  const budget = slo.budgetRemainingRatio === null ? "no error-budget figure (no data in the window)" : `error budget remaining ${(slo.budgetRemainingRatio * 100).toFixed(1)} %`;
  return {
    key: alertEventKey(event.id),
    type: firing ? "slo.alert.firing" : "slo.alert.resolved",
    status: firing ? "firing" : "resolved",
    occurredAt: event.at.toISOString(),
    name: ALERT_NAMES[kind] ?? `SLO${kind}`,
    service: definition.service,
    severity: event.severity,
    summary: `${definition.displayName ?? definition.name}: ${event.summary}`,
    description: `SLO ${definition.name} (service ${definition.service}, objective ${definition.objectivePercent} % over ${slo.window}); ${budget}.`,
    startsAt: event.firedAt.toISOString(),
    endsAt: firing ? null : event.at.toISOString(),
    labels: { ...definition.labels, alert_key: event.key },
    links: { console: `/slos/${encodeURIComponent(definition.name)}` },
    slo,
  };
}
