// The sentences a gate answers with: each names the subject, the figure and the threshold it was held to.
import { formatCount, formatMs, formatPercent } from "../../signals/core/format";
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

/** The figures a canary reason quotes; `candidate` and `baseline` are ratios (error ratio) or ms (p95), null without data. */
export interface CanaryReasonFigures {
  slo: string;
  measure: "error_ratio" | "p95";
  candidate: { value: number | null; events: number; badEvents: number };
  baseline: { value: number | null; events: number; badEvents: number };
  /** Candidate minus baseline for a ratio; (candidate − baseline) / baseline for p95. */
  difference: number | null;
  allowed: number;
  pValue: number;
  test: "fisher" | "z" | "mann_whitney_u";
  significanceLevel: number;
}

const TEST_WORDS: Record<CanaryReasonFigures["test"], string> = {
  fisher: "Fisher's exact test",
  z: "two-proportion z-test",
  mann_whitney_u: "Mann–Whitney U",
};

/** Error ratios and their differences keep 3 significant digits: 0.0153 → "1.53", 0.00005 → "0.005" (percent). */
const percentDigits = (ratio: number) => Number((ratio * 100).toPrecision(3));
const ratioWords = (ratio: number) => `${percentDigits(ratio)}%`;
/** Sub-10 ms durations keep decimals: two versions at 0.4 and 0.9 ms should not both read "0 ms" / "1 ms". */
const msWords = (ms: number) => (Math.abs(ms) < 10 ? `${Number(ms.toFixed(2))} ms` : formatMs(ms));
const pWords = (p: number) => (p < 0.0001 ? "p < 0.0001" : `p = ${Number(p.toPrecision(2))}`);

function canaryFiguresWords(f: CanaryReasonFigures): string {
  const { candidate: c, baseline: b } = f;
  if (f.measure === "p95") {
    if (c.value === null || b.value === null) return `the candidate has ${formatCount(c.events)} spans and the baseline ${formatCount(b.events)}`;
    return `the candidate's p95 is ${msWords(c.value)} against the baseline's ${msWords(b.value)} (${formatCount(c.events)} and ${formatCount(b.events)} spans)`;
  }
  const side = (s: typeof c) => (s.value === null ? "unmeasured (no events)" : `${ratioWords(s.value)} (${formatCount(s.badEvents)} of ${formatCount(s.events)} events)`);
  return `the candidate's error ratio is ${side(c)} against the baseline's ${side(b)}`;
}

function canaryDifferenceWords(f: CanaryReasonFigures): string {
  const d = f.difference;
  if (d === null) return "no difference can be measured yet";
  if (d === 0) return "no difference";
  if (f.measure === "p95") return Number.isFinite(d) ? `${Number((Math.abs(d) * 100).toFixed(1))}% ${d > 0 ? "slower" : "faster"}` : "slower than a zero baseline";
  return `${percentDigits(Math.abs(d))} percentage points ${d > 0 ? "higher" : "lower"}`;
}

const canaryAllowedWords = (f: CanaryReasonFigures) =>
  f.measure === "p95" ? `+${Number((f.allowed * 100).toFixed(1))}% on p95` : `+${Number((f.allowed * 100).toFixed(2))} percentage points`;

const canaryTestWords = (f: CanaryReasonFigures) => `${pWords(f.pValue)} by ${TEST_WORDS[f.test]}`;

function canaryReason(code: string, level: GateReasonLevel, f: CanaryReasonFigures, message: string): GateReason {
  const reason: GateReason = { code, level, subject: { type: "slo", name: f.slo }, threshold: f.allowed, message };
  return f.difference === null ? reason : { ...reason, figure: f.difference };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
  canaryWorse(f: CanaryReasonFigures): GateReason {
    return canaryReason("canary_worse", "fail", f,
      `SLO "${f.slo}": the candidate is worse than the baseline. ${capitalise(canaryFiguresWords(f))}, ${canaryDifferenceWords(f)}, beyond the ${canaryAllowedWords(f)} this gate allows, and significant: ${canaryTestWords(f)}, below the ${f.significanceLevel} significance level.`);
  },
  canaryNotWorse(f: CanaryReasonFigures): GateReason {
    const why = f.pValue < f.significanceLevel
      ? `significant (${canaryTestWords(f)}, below the ${f.significanceLevel} significance level) but within the ${canaryAllowedWords(f)} this gate allows`
      : `not significant: ${canaryTestWords(f)}, not below the ${f.significanceLevel} significance level (this gate allows ${canaryAllowedWords(f)})`;
    return canaryReason("canary_not_worse", "info", f,
      `SLO "${f.slo}": the candidate is not worse than the baseline. ${capitalise(canaryFiguresWords(f))}, ${canaryDifferenceWords(f)}; ${why}.`);
  },
  canaryInsufficientData(f: CanaryReasonFigures, minEventsPerSide: number): GateReason {
    const unit = f.measure === "p95" ? "spans" : "events";
    const fewest = Math.min(f.candidate.events, f.baseline.events);
    return { code: "canary_insufficient_data", level: "inconclusive", subject: { type: "slo", name: f.slo }, figure: fewest, threshold: minEventsPerSide,
      message: `SLO "${f.slo}": too little traffic to compare the candidate with the baseline: ${formatCount(f.candidate.events)} and ${formatCount(f.baseline.events)} ${unit}, and this gate needs ${formatCount(minEventsPerSide)} on each side. So far ${canaryFiguresWords(f)}, ${canaryDifferenceWords(f)} (${canaryTestWords(f)}; significance level ${f.significanceLevel}, allowed ${canaryAllowedWords(f)}).` };
  },
  allClear(sloCount: number, warn: number): GateReason {
    const slos = sloCount === 1 ? "The one SLO in scope has" : `All ${sloCount} SLOs in scope have`;
    return { code: "all_clear", level: "info", subject: { type: "scope", name: "*" }, threshold: warn,
      message: `${slos} at least ${formatPercent(warn)} of the error budget left, no alerts are firing and no signals are open.` };
  },
};

/** The canary's reasons that are about the comparison as a whole rather than one SLO's figures. */
export const canaryScopeReason = {
  skipped(slo: string, sli: string): GateReason {
    return { code: "canary_skipped", level: "info", subject: { type: "slo", name: slo },
      message: `SLO "${slo}" is not compared between versions: its SLI (${sli}) comes from metrics, which carry no service.version.` };
  },
  noCandidate(service: string, version: string): GateReason {
    return { code: "canary_no_candidate", level: "inconclusive", subject: { type: "scope", name: service },
      message: `No span of ${service} version ${version} has been received, so the candidate cannot be compared with a baseline yet.` };
  },
  noBaseline(service: string, version: string, firstSeen: string): GateReason {
    return { code: "canary_no_baseline", level: "inconclusive", subject: { type: "scope", name: service },
      message: `No other version of ${service} served traffic in the hour before ${version} first appeared (${firstSeen}), so there is no baseline to compare with; name one in baseline.version.` };
  },
  capped(slo: string, sides: string[], cap: number): GateReason {
    return { code: "canary_capped", level: "info", subject: { type: "slo", name: slo }, threshold: cap,
      message: `SLO "${slo}": only the first ${cap.toLocaleString("en-US")} spans of the ${sides.join(" and the ")} in the interval were read, so its comparison covers the start of the interval only.` };
  },
};
