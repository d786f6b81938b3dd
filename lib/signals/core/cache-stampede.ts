// Cache stampede (thundering herd) for one service's cache: its hit ratio collapses while the work
// the misses send on (jobs it publishes) surges — entries expiring together, or a flushed cache.
// Judged on the newest few seconds of lookups against the usual level of the minutes before, so a
// flush shows within one or two flow buckets rather than after a whole minute has averaged it away.
import { medianOf } from "./series";
import type { CacheStampedeThresholds } from "./thresholds";
import type { SignalCandidate } from "./types";

/** One stretch of observation: a 10-second flow bucket of traced lookups, or a calendar minute of lookup counters. */
export interface CacheWindow {
  /** Unix seconds at the window's end. */
  endUnix: number;
  seconds: number;
  /** null: no data for the window (before the first data, or a gap). */
  lookups: number | null;
  hits: number | null;
  /** Work the same service sent on in the window (jobs it published), when it sends any. */
  backendLoad: number | null;
}

export interface CacheStampedeInput {
  /** e.g. "cache of sample-api". */
  resource: string;
  /** Contiguous, oldest first; the last one ends at the evaluation end. */
  windows: readonly CacheWindow[];
  /** Whether the service sends work on at all (else the hit-ratio drop alone is the evidence). */
  hasBackend: boolean;
  thresholds: CacheStampedeThresholds;
}

type Sums = { seconds: number; lookups: number; hits: number; load: number; loadSeconds: number };

function sum(windows: readonly CacheWindow[]): Sums {
  const s: Sums = { seconds: 0, lookups: 0, hits: 0, load: 0, loadSeconds: 0 };
  for (const w of windows) {
    if (w.lookups === null) continue;
    s.seconds += w.seconds;
    s.lookups += w.lookups;
    s.hits += w.hits ?? 0;
    if (w.backendLoad !== null) {
      s.load += w.backendLoad;
      s.loadSeconds += w.seconds;
    }
  }
  return s;
}

/** The newest windows: at least one, grown back until they hold `minLookups` lookups or span a minute. */
function newestWindows(windows: readonly CacheWindow[], minLookups: number): CacheWindow[] {
  const out: CacheWindow[] = [];
  let lookups = 0;
  let seconds = 0;
  for (let i = windows.length - 1; i >= 0; i--) {
    const w = windows[i] as CacheWindow;
    if (w.lookups === null) break;
    out.unshift(w);
    lookups += w.lookups;
    seconds += w.seconds;
    if (lookups >= minLookups || seconds >= 60) break;
  }
  return out;
}

/** Seconds between the baseline's end and the newest window's start: a fault's first buckets stay out of the baseline. */
const BASELINE_GAP_S = 30;

export function detectCacheStampede(input: CacheStampedeInput): SignalCandidate | null {
  const t = input.thresholds;
  const newestList = newestWindows(input.windows, t.minLookups);
  const newest = sum(newestList);
  if (newestList.length === 0 || newest.lookups < t.minLookups) return null;
  const newestStart = (newestList[0] as CacheWindow).endUnix - (newestList[0] as CacheWindow).seconds;
  const baselineEnd = newestStart - BASELINE_GAP_S;
  const baselineList = input.windows.filter((w) => w.lookups !== null && w.endUnix <= baselineEnd && w.endUnix - w.seconds >= baselineEnd - t.baselineMinutes * 60);
  if (sum(baselineList).seconds < t.minPresentMinutes * 60) return null;
  // The usual level is the median window, so a cold start's warm-up (few hits, many misses) does not drag it down.
  const hitRatioBaseline = medianOf(baselineList.flatMap((w) => (w.lookups !== null && w.lookups > 0 ? [(w.hits ?? 0) / w.lookups] : [])));
  if (hitRatioBaseline === null) return null;

  const hitRatio = newest.hits / newest.lookups;
  const perMinute = (n: number, seconds: number) => (seconds > 0 ? (n * 60) / seconds : null);
  const load = input.hasBackend ? perMinute(newest.load, newest.loadSeconds) : null;
  const loadBaseline = input.hasBackend ? medianOf(baselineList.flatMap((w) => (w.backendLoad === null ? [] : [(w.backendLoad * 60) / w.seconds]))) : null;
  const hitRatioDrop = hitRatioBaseline - hitRatio;
  const backendSurge = load !== null && loadBaseline !== null && loadBaseline > 0 ? load / loadBaseline - 1 : null;
  if (hitRatioDrop < t.minHitRatioDrop) return null;
  // Without a backend series the drop alone is the evidence; with one, the misses must be hurting it.
  if (input.hasBackend && (backendSurge === null || backendSurge < t.minBackendRiseRatio)) return null;
  const pct = (r: number) => `${Math.round(r * 100)} %`;
  const service = input.resource.replace(/^cache of /, "");
  return {
    kind: "cache_stampede",
    resource: input.resource,
    severity: backendSurge !== null && backendSurge >= 1 ? "critical" : "warning",
    summary:
      `${input.resource}: hit ratio fell to ${pct(hitRatio)} in the last ${newest.seconds} s from ${pct(hitRatioBaseline)}` +
      (backendSurge !== null ? `, sending ${Math.round((backendSurge + 1) * 10) / 10}× the usual work to the backend` : "") +
      ". Entries expiring together (no TTL jitter) or a flush: add jitter, refresh ahead, or let one caller recompute (request coalescing).",
    reasonCodes: ["hit_ratio_drop", ...(backendSurge !== null ? ["backend_surge"] : [])],
    evidence: {
      series: [`${input.resource} hit ratio`, `${input.resource} lookups/min`, ...(input.hasBackend ? [`${service} published/min`] : [])],
      figures: {
        hitRatio, hitRatioBaseline, newestWindowSeconds: newest.seconds,
        lookupsPerMinute: perMinute(newest.lookups, newest.seconds), backendLoadPerMinute: load, backendLoadBaselinePerMinute: loadBaseline,
      },
      exampleJobIds: [],
    },
  };
}
