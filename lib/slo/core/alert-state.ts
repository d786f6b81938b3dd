/** The alert state machine for one SLO's alerts (burn rate per severity, no data, budget exhausted) and the notifications it emits. */
import type { BudgetReport } from "./budget";
import type { BurnRateEvaluation, Severity } from "./burn-rate";
import type { AlertPolicy } from "./definition";

export type AlertKind = "burnRate" | "noData" | "budgetExhausted";
export type AlertStatus = "inactive" | "pending" | "firing" | "resolved";

export type AlertState = {
  kind: AlertKind;
  severity: Severity;
  status: AlertStatus;
  /** When the current status was entered; null for a state never evaluated. */
  statusSinceAt: Date | null;
  firedAt: Date | null;
  resolvedAt: Date | null;
};

/** One evaluation of one alert: `conditionMet` starts it; a firing alert ends only when `clearMet` (hysteresis). */
export type AlertEvaluation = {
  conditionMet: boolean;
  clearMet: boolean;
  summary: string;
  values: Record<string, number | null>;
};

export type AlertNotification = {
  type: "firing" | "resolved";
  kind: AlertKind;
  severity: Severity;
  at: Date;
  firedAt: Date;
  summary: string;
  values: Record<string, number | null>;
};

export type AlertTransition = { state: AlertState; from: AlertStatus; changed: boolean; notifications: AlertNotification[] };

export function initialAlertState(kind: AlertKind, severity: Severity): AlertState {
  return { kind, severity, status: "inactive", statusSinceAt: null, firedAt: null, resolvedAt: null };
}

export function alertKey(kind: AlertKind, severity: Severity): string {
  return kind === "burnRate" ? `burnRate:${severity}` : kind;
}

/** inactive/resolved → (pending for `forMinutes`) → firing → resolved. Pure: the caller stores the state and writes the notifications to the outbox. */
export function applyAlertTransition(options: {
  prev: AlertState;
  evaluation: AlertEvaluation;
  now: Date;
  forMinutes?: number;
}): AlertTransition {
  const { prev, evaluation, now } = options;
  const forMinutes = options.forMinutes ?? 0;
  const to = (status: AlertStatus, patch: Partial<AlertState> = {}): AlertState => ({ ...prev, status, statusSinceAt: now, ...patch });
  const fire = (): AlertTransition => {
    const state = to("firing", { firedAt: now, resolvedAt: null });
    return { state, from: prev.status, changed: true, notifications: [notification("firing", state, evaluation, now)] };
  };
  const stay = (): AlertTransition => ({ state: prev, from: prev.status, changed: false, notifications: [] });

  switch (prev.status) {
    case "inactive":
    case "resolved":
      if (!evaluation.conditionMet) return stay();
      if (forMinutes <= 0) return fire();
      return { state: to("pending"), from: prev.status, changed: true, notifications: [] };
    case "pending": {
      if (!evaluation.conditionMet) return { state: to("inactive"), from: "pending", changed: true, notifications: [] };
      const pendingMinutes = (now.getTime() - (prev.statusSinceAt ?? now).getTime()) / 60_000;
      return pendingMinutes >= forMinutes ? fire() : stay();
    }
    case "firing": {
      if (!evaluation.clearMet) return stay();
      const state = to("resolved", { resolvedAt: now });
      return { state, from: "firing", changed: true, notifications: [notification("resolved", state, evaluation, now)] };
    }
  }
}

function notification(type: AlertNotification["type"], state: AlertState, evaluation: AlertEvaluation, now: Date): AlertNotification {
  return {
    type,
    kind: state.kind,
    severity: state.severity,
    at: now,
    firedAt: state.firedAt ?? now,
    summary: evaluation.summary,
    values: evaluation.values,
  };
}

/**
 * How a firing burn-rate alert resolves.
 * - "bothWindowsBelow" (default): only when every rule of the severity has its long AND short window below the
 *   threshold. The short window fires the alert only while the burn is still happening and keeps it from resolving
 *   while the long window merely dips as old errors age out; the long window keeps a noisy 5-minute window, which
 *   crosses the threshold back and forth, from resolving and re-paging (no flapping on the short window alone).
 *   The price: after a short, sharp incident the alert stays firing until the long window drains (≤ 1 h for page).
 * - "shortWindowBelow": the workbook's plain AND condition; resolves as soon as the short window drops, i.e. within
 *   5 minutes of the fix, at the risk of flapping while the burn hovers at the threshold.
 */
export type ResolveMode = "bothWindowsBelow" | "shortWindowBelow";

export function burnRateAlertEvaluation(burn: BurnRateEvaluation, severity: Severity, resolveMode: ResolveMode = "bothWindowsBelow"): AlertEvaluation {
  const rules = burn.rules.filter((r) => r.rule.severity === severity);
  const conditionMet = rules.some((r) => r.firing);
  const anyData = rules.some((r) => r.longBurnRate !== null);
  // With no events in any long window the burn is unknown: hold the state and let the no-data alert speak.
  const clearMet = anyData && (resolveMode === "bothWindowsBelow" ? rules.every((r) => r.clear) : !conditionMet);
  const values: Record<string, number | null> = {};
  for (const r of rules) {
    values[`burnRate${r.rule.longWindowMinutes}m`] = r.longBurnRate;
    values[`burnRate${r.rule.shortWindowMinutes}m`] = r.shortBurnRate;
    values[`threshold${r.rule.longWindowMinutes}m`] = r.thresholdBurnRate;
  }
  const worst = rules.find((r) => r.firing) ?? rules[0];
  const summary = worst
    ? `burn rate ${formatRate(worst.longBurnRate)}× over ${worst.rule.longWindowMinutes}m and ${formatRate(worst.shortBurnRate)}× over ${worst.rule.shortWindowMinutes}m (threshold ${formatRate(worst.thresholdBurnRate)}×)`
    : "no burn-rate rules";
  return { conditionMet, clearMet: rules.length === 0 || clearMet, summary, values };
}

/** No events for `noDataMinutes` is its own alert; a series that never had data counts as no data. */
export function noDataAlertEvaluation(minutesSinceLastData: number | null, noDataMinutes: number): AlertEvaluation {
  const conditionMet = minutesSinceLastData === null || minutesSinceLastData >= noDataMinutes;
  const summary = minutesSinceLastData === null ? "no data received" : `no data for ${minutesSinceLastData} minutes`;
  return { conditionMet, clearMet: !conditionMet, summary, values: { minutesSinceLastData } };
}

export function budgetExhaustedAlertEvaluation(budget: BudgetReport): AlertEvaluation {
  const remaining = budget.budgetRemainingRatio;
  const conditionMet = remaining !== null && remaining <= 0;
  return {
    conditionMet,
    clearMet: !conditionMet,
    summary: remaining === null ? "no error-budget figure (no data in the window)" : `error budget remaining ${(remaining * 100).toFixed(2)} %`,
    values: { budgetRemainingRatio: budget.budgetRemainingRatio, sliRatio: budget.sliRatio },
  };
}

function formatRate(rate: number | null): string {
  return rate === null ? "n/a" : String(Math.round(rate * 100) / 100);
}

/** Every alert of one SLO in one engine tick: states keyed by alertKey, plus everything to hand to the outbox. */
export function evaluateSloAlerts(options: {
  prev: Readonly<Record<string, AlertState>>;
  burn: BurnRateEvaluation;
  budget: BudgetReport;
  policy: AlertPolicy;
  now: Date;
  resolveMode?: ResolveMode;
}): { states: Record<string, AlertState>; transitions: AlertTransition[]; notifications: AlertNotification[] } {
  const { prev, burn, budget, policy, now } = options;
  const planned: { kind: AlertKind; severity: Severity; evaluation: AlertEvaluation; forMinutes: number }[] = [];
  for (const severity of ["page", "ticket"] as const) {
    if (!policy.burnRateRules.some((r) => r.severity === severity)) continue;
    planned.push({ kind: "burnRate", severity, evaluation: burnRateAlertEvaluation(burn, severity, options.resolveMode), forMinutes: policy.forMinutes });
  }
  if (policy.noDataMinutes !== null) {
    planned.push({ kind: "noData", severity: "ticket", evaluation: noDataAlertEvaluation(burn.minutesSinceLastData, policy.noDataMinutes), forMinutes: 0 });
  }
  if (policy.budgetExhausted) {
    planned.push({ kind: "budgetExhausted", severity: "ticket", evaluation: budgetExhaustedAlertEvaluation(budget), forMinutes: 0 });
  }
  const states: Record<string, AlertState> = {};
  const transitions: AlertTransition[] = [];
  for (const { kind, severity, evaluation, forMinutes } of planned) {
    const key = alertKey(kind, severity);
    const result = applyAlertTransition({ prev: prev[key] ?? initialAlertState(kind, severity), evaluation, now, forMinutes });
    states[key] = result.state;
    if (result.changed) transitions.push(result);
  }
  return { states, transitions, notifications: transitions.flatMap((t) => t.notifications) };
}
