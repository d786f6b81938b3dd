// The release-gate decision: pass, warn or fail from error budgets, burn rates, firing alerts and open signals.
import type { SignalKind, SignalSeverity } from "../../signals/core/types";
import { type GatePolicy, signalInScope, sloInScope } from "./policy";
import { type GateReason, type GateReasonLevel, reasonFor } from "./reasons";

export interface GateSloInput {
  name: string;
  service: string;
  labels?: Record<string, string>;
  /** 1 = untouched, 0 = spent, negative = overspent; null when the window has no data. */
  budgetRemainingRatio: number | null;
  /** Burn rate per alert window, e.g. { "1h": 14.4, "6h": null }. */
  burnRates: Record<string, number | null>;
  firingAlerts: { name: string; severity: "page" | "ticket" }[];
  /** When these figures were computed; older than the policy allows counts as no data. */
  evaluatedAt?: Date;
}

export interface GateSignalInput {
  kind: SignalKind;
  resource: string;
  severity: SignalSeverity;
  summary: string;
  /** Services the signal affects; none means unattributed, which every gate counts. */
  services?: string[];
  labels?: Record<string, string>;
}

/** inconclusive: the gate could not judge (missing or stale data) and fails closed, saying why. */
export type GateDecisionValue = "pass" | "warn" | "inconclusive" | "fail";

export interface GateDecision {
  decision: GateDecisionValue;
  /** Failures first, then warnings; one "all_clear" reason on a pass. */
  reasons: GateReason[];
  evaluatedAt: string;
}

function sloReasons(slo: GateSloInput, policy: GatePolicy, now: Date): GateReason[] {
  const reasons: GateReason[] = [];
  const ageMinutes = slo.evaluatedAt ? (now.getTime() - slo.evaluatedAt.getTime()) / 60_000 : 0;
  if (ageMinutes > policy.maxDataAgeMinutes) {
    reasons.push(reasonFor.staleData(slo.name, ageMinutes, policy.maxDataAgeMinutes, policy.noData));
  } else if (slo.budgetRemainingRatio === null) {
    reasons.push(reasonFor.noBudget(slo.name, policy.noData));
  } else if (slo.budgetRemainingRatio < policy.minBudgetRemainingRatio) {
    reasons.push(reasonFor.budgetExhausted(slo.name, slo.budgetRemainingRatio, policy.minBudgetRemainingRatio, "fail"));
  } else if (slo.budgetRemainingRatio < policy.warnBudgetRemainingRatio) {
    reasons.push(reasonFor.budgetLow(slo.name, slo.budgetRemainingRatio, policy.warnBudgetRemainingRatio));
  }
  for (const [window, max] of Object.entries(policy.maxBurnRates)) {
    const rate = slo.burnRates[window] ?? null;
    if (rate === null) reasons.push(reasonFor.noBurnRate(slo.name, window, policy.noData));
    else if (rate > max) reasons.push(reasonFor.burnRateHigh(slo.name, window, rate, max));
  }
  for (const alert of slo.firingAlerts) {
    if (alert.severity === "page") reasons.push(reasonFor.alertFiring(alert.name, slo.name, "page", policy.failOnPageAlerts ? "fail" : "warn"));
    else if (policy.warnOnTicketAlerts) reasons.push(reasonFor.alertFiring(alert.name, slo.name, "ticket", "warn"));
  }
  return reasons;
}

function signalReason(signal: GateSignalInput, policy: GatePolicy): GateReason | null {
  if (signal.severity === "critical") return reasonFor.signalOpen(signal, policy.failOnCriticalSignals ? "fail" : "warn");
  return policy.warnOnWarningSignals ? reasonFor.signalOpen(signal, "warn") : null;
}

const RANK: Record<GateReasonLevel, number> = { fail: 0, inconclusive: 1, warn: 2, info: 3 };

/**
 * Pure: the caller loads SLO figures, alerts and signals, parses the policy, and records the result. `canaryReasons`
 * (judgeCanary's, and the canary's own scope reasons) weigh like any other: a worse candidate fails a gate whose
 * budgets are healthy, too little data makes it inconclusive, and with key SLOs named only theirs fail on their own.
 */
export function decideGate(options: { policy: GatePolicy; slos: GateSloInput[]; openSignals: GateSignalInput[]; now: Date; canaryReasons?: readonly GateReason[] }): GateDecision {
  const { policy, now } = options;
  const slos = options.slos.filter((slo) => sloInScope(policy.scope, slo));
  const reasons: GateReason[] = slos.length === 0 ? [reasonFor.noSlos(policy.scope.services, policy.noData)] : [];
  const keys = new Set(policy.keySlos);
  for (const slo of slos) {
    const own = sloReasons(slo, policy, now);
    // With key SLOs named, only they fail the gate on their own; the others' failures warn.
    reasons.push(...(keys.size === 0 || keys.has(slo.name) ? own : own.map((r) => (r.level === "fail" ? reasonFor.notKey(r) : r))));
  }
  for (const name of keys) if (!slos.some((slo) => slo.name === name)) reasons.push(reasonFor.keySloMissing(name, policy.noData));
  for (const r of options.canaryReasons ?? []) {
    const demote = r.level === "fail" && r.subject.type === "slo" && keys.size > 0 && !keys.has(r.subject.name);
    reasons.push(demote ? reasonFor.notKey(r) : r);
  }
  for (const signal of options.openSignals) {
    if (!signalInScope(policy.scope, signal)) continue;
    const reason = signalReason(signal, policy);
    if (reason) reasons.push(reason);
  }
  reasons.sort((a, b) => RANK[a.level] - RANK[b.level]);
  const worst = reasons[0]?.level ?? "info";
  const decision: GateDecisionValue = worst === "info" ? "pass" : worst;
  if (decision === "pass") reasons.push(reasonFor.allClear(slos.length, policy.warnBudgetRemainingRatio));
  return { decision, reasons, evaluatedAt: now.toISOString() };
}
