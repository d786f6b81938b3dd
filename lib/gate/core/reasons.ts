// The sentences a gate answers with: each names the subject, the figure and the threshold it was held to.
import { formatPercent } from "../../signals/core/format";
import type { SignalKind, SignalSeverity } from "../../signals/core/types";

export type GateReasonLevel = "fail" | "inconclusive" | "warn" | "info";

export interface GateReason {
  code: string;
  level: GateReasonLevel;
  message: string;
  subject: { type: "slo" | "alert" | "signal" | "scope"; name: string };
  /** The measured figure and the limit it was compared with, when there is one. */
  figure?: number;
  threshold?: number;
}

const SIGNAL_WORDS: Record<SignalKind, string> = { saturation: "saturation", retry_storm: "retry-storm", cache_stampede: "cache-stampede" };

export const reasonFor = {
  budgetExhausted(slo: string, remaining: number, min: number, level: GateReasonLevel): GateReason {
    const why = min === 0 ? "the budget is spent, so releases wait until it recovers" : `below the ${formatPercent(min)} this gate requires`;
    return { code: "budget_exhausted", level, subject: { type: "slo", name: slo }, figure: remaining, threshold: min,
      message: `SLO "${slo}" has ${formatPercent(remaining)} of its error budget left: ${why}.` };
  },
  budgetLow(slo: string, remaining: number, warn: number): GateReason {
    return { code: "budget_low", level: "warn", subject: { type: "slo", name: slo }, figure: remaining, threshold: warn,
      message: `SLO "${slo}" has ${formatPercent(remaining)} of its error budget left, below the ${formatPercent(warn)} warning level.` };
  },
  burnRateHigh(slo: string, window: string, rate: number, max: number): GateReason {
    return { code: "burn_rate_high", level: "fail", subject: { type: "slo", name: slo }, figure: rate, threshold: max,
      message: `SLO "${slo}" is burning its error budget at ${Number(rate.toFixed(1))}× the sustainable rate over ${window}, above the ${max}× this gate allows.` };
  },
  noBudget(slo: string, level: GateReasonLevel): GateReason {
    return { code: "no_data", level, subject: { type: "slo", name: slo },
      message: `SLO "${slo}" has no error-budget figure (no data in its window), so this gate cannot vouch for it.` };
  },
  staleData(slo: string, ageMinutes: number, maxMinutes: number, level: GateReasonLevel): GateReason {
    return { code: "no_data", level, subject: { type: "slo", name: slo }, figure: ageMinutes, threshold: maxMinutes,
      message: `SLO "${slo}" was last evaluated ${Math.round(ageMinutes)} min ago, older than the ${maxMinutes} min this gate accepts.` };
  },
  noBurnRate(slo: string, window: string, level: GateReasonLevel): GateReason {
    return { code: "no_data", level, subject: { type: "slo", name: slo },
      message: `SLO "${slo}" has no burn rate over ${window}, which this gate checks.` };
  },
  noSlos(services: string[], level: GateReasonLevel): GateReason {
    const which = services.length ? `services ${services.join(", ")}` : "every service";
    return { code: "no_slos_in_scope", level, subject: { type: "scope", name: services.join(",") || "*" },
      message: `No SLO matches this gate's scope (${which}), so there is nothing to judge the release by.` };
  },
  alertFiring(alert: string, slo: string, severity: "page" | "ticket", level: GateReasonLevel): GateReason {
    return { code: `${severity}_alert_firing`, level, subject: { type: "alert", name: alert },
      message: `${severity === "page" ? "Page" : "Ticket"} alert "${alert}" is firing on SLO "${slo}".` };
  },
  signalOpen(signal: { kind: SignalKind; resource: string; severity: SignalSeverity; summary: string }, level: GateReasonLevel): GateReason {
    const article = signal.severity === "critical" ? "A critical" : "A warning";
    return { code: `${signal.severity}_signal_open`, level, subject: { type: "signal", name: `${signal.kind}:${signal.resource}` },
      message: `${article} ${SIGNAL_WORDS[signal.kind]} signal is open: ${signal.summary}.` };
  },
  notKey(reason: GateReason): GateReason {
    return { ...reason, level: "warn", code: `${reason.code}_not_key`,
      message: `${reason.message} Not a key SLO of this gate, so it warns instead of failing.` };
  },
  keySloMissing(slo: string, level: GateReasonLevel): GateReason {
    return { code: "key_slo_missing", level, subject: { type: "slo", name: slo },
      message: `Key SLO "${slo}" is not defined or not in this gate's scope, so the gate cannot vouch for it.` };
  },
  allClear(sloCount: number, warn: number): GateReason {
    const slos = sloCount === 1 ? "The one SLO in scope has" : `All ${sloCount} SLOs in scope have`;
    return { code: "all_clear", level: "info", subject: { type: "scope", name: "*" }, threshold: warn,
      message: `${slos} at least ${formatPercent(warn)} of the error budget left, no alerts are firing and no signals are open.` };
  },
};
