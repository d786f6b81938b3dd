// The signal lifecycle: open after N positive minutes, resolve after M negative minutes, one stable fingerprint per (kind, resource).
import type { Hysteresis } from "./thresholds";
import type { SignalCandidate, SignalKind, SignalSeverity } from "./types";

export interface SignalState {
  fingerprint: string;
  kind: SignalKind;
  resource: string;
  /** pending: positive but not yet for long enough; open: a signal users see. */
  phase: "pending" | "open";
  /** Consecutive positive evaluated minutes (several evaluations in one minute count once). */
  positiveMinutes: number;
  /** While open: the first minute of the current run of negative evaluations. */
  firstNegativeMinuteUnix: number | null;
  lastEvaluatedMinuteUnix: number;
  openedAt: string | null;
  updatedAt: string;
  severity: SignalSeverity;
  /** The latest positive evaluation: its summary and evidence are what the signal shows. */
  candidate: SignalCandidate;
}

export interface SignalEvent {
  type: "opened" | "updated" | "resolved";
  fingerprint: string;
  kind: SignalKind;
  resource: string;
  severity: SignalSeverity;
  summary: string;
  at: string;
  openedAt: string;
  candidate: SignalCandidate;
}

/** FNV-1a 64-bit of kind and resource as 16 hex digits: stable across processes and releases. */
export function signalFingerprint(kind: SignalKind, resource: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(`${kind}\u0000${resource}`)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

function eventOf(type: SignalEvent["type"], state: SignalState, at: string): SignalEvent {
  const { fingerprint, kind, resource, severity, candidate } = state;
  return { type, fingerprint, kind, resource, severity, summary: candidate.summary, at, openedAt: state.openedAt ?? at, candidate };
}

/**
 * One evaluation of one detector for one resource. `prev` is null when nothing is pending or open,
 * `candidate` null when the detector found nothing. Returns the state to keep (null: nothing to keep)
 * and the events to hand to the outbox. Evaluating more often than once a minute is safe: streaks
 * count minutes, not calls.
 */
export function applySignalTransition(options: {
  prev: SignalState | null;
  candidate: SignalCandidate | null;
  now: Date;
  hysteresis: Hysteresis;
  /** How often the caller evaluates; streaks count steps of this length (default a minute). */
  stepSeconds?: number;
}): { state: SignalState | null; events: SignalEvent[] } {
  const { prev, candidate, now, hysteresis } = options;
  const step = options.stepSeconds ?? 60;
  const minute = Math.floor(now.getTime() / 1000 / step) * step;
  const at = now.toISOString();
  if (prev && candidate && signalFingerprint(candidate.kind, candidate.resource) !== prev.fingerprint) {
    throw new Error(`candidate ${candidate.kind}/${candidate.resource} does not belong to signal ${prev.fingerprint}`);
  }
  const newMinute = prev === null || minute > prev.lastEvaluatedMinuteUnix;
  const lastEvaluatedMinuteUnix = Math.max(minute, prev?.lastEvaluatedMinuteUnix ?? minute);

  if (candidate) {
    const positiveMinutes = (prev?.positiveMinutes ?? 0) + (newMinute ? 1 : 0);
    const base = {
      fingerprint: prev?.fingerprint ?? signalFingerprint(candidate.kind, candidate.resource),
      kind: candidate.kind,
      resource: candidate.resource,
      positiveMinutes,
      firstNegativeMinuteUnix: null,
      lastEvaluatedMinuteUnix,
      updatedAt: at,
      severity: candidate.severity,
      candidate,
    };
    if (prev?.phase === "open") {
      const state: SignalState = { ...base, phase: "open", openedAt: prev.openedAt };
      return { state, events: prev.severity !== candidate.severity ? [eventOf("updated", state, at)] : [] };
    }
    // One positive evaluation is never enough, however short the configured time.
    if (positiveMinutes >= Math.max(2, Math.ceil(hysteresis.openAfterPositiveSeconds / step))) {
      const state: SignalState = { ...base, phase: "open", openedAt: at };
      return { state, events: [eventOf("opened", state, at)] };
    }
    return { state: { ...base, phase: "pending", openedAt: null }, events: [] };
  }

  if (prev === null || prev.phase === "pending") return { state: null, events: [] };
  const firstNegativeMinuteUnix = prev.firstNegativeMinuteUnix ?? minute;
  const negativeSteps = (minute - firstNegativeMinuteUnix) / step + 1;
  if (negativeSteps * step >= hysteresis.resolveAfterNegativeSeconds) {
    return { state: null, events: [eventOf("resolved", { ...prev, updatedAt: at }, at)] };
  }
  return { state: { ...prev, positiveMinutes: 0, firstNegativeMinuteUnix, lastEvaluatedMinuteUnix, updatedAt: at }, events: [] };
}
