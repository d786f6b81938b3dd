// Cache stampede (thundering herd) for one service's cache: its hit ratio collapses while the work
// the misses send on (jobs it publishes) surges — entries expiring together, or a flushed cache.
import { latestValue, meanOf, minuteOf, presentValues, windowEndingAt } from "./series";
import type { CacheStampedeThresholds } from "./thresholds";
import type { NamedSeries, SignalCandidate } from "./types";

export interface CacheStampedeInput {
  /** e.g. "cache of sample-api". */
  resource: string;
  /** Hits ÷ lookups per minute, 0..1. */
  hitRatio: NamedSeries;
  lookups: NamedSeries;
  /** Work sent on per minute by the same service (e.g. jobs it publishes), when it sends any. */
  backendLoad?: NamedSeries;
  now: Date;
  thresholds: CacheStampedeThresholds;
}

export function detectCacheStampede(input: CacheStampedeInput): SignalCandidate | null {
  const t = input.thresholds;
  const end = minuteOf(input.now) - 60;
  const newest = (s: NamedSeries) => windowEndingAt(s.points, end, 1);
  const baseline = (s: NamedSeries) => windowEndingAt(s.points, end - 60, t.baselineMinutes);
  const hitRatio = latestValue(newest(input.hitRatio));
  const lookups = latestValue(newest(input.lookups));
  const hitRatioBaseline = meanOf(baseline(input.hitRatio));
  if (hitRatio === null || hitRatioBaseline === null || lookups === null || lookups < t.minLookupsPerMinute) return null;
  if (presentValues(baseline(input.hitRatio)).length < t.minPresentMinutes) return null;
  const load = input.backendLoad ? latestValue(newest(input.backendLoad)) : null;
  const loadBaseline = input.backendLoad ? meanOf(baseline(input.backendLoad)) : null;
  const hitRatioDrop = hitRatioBaseline - hitRatio;
  const backendSurge = load !== null && loadBaseline !== null && loadBaseline > 0 ? load / loadBaseline - 1 : null;
  if (hitRatioDrop < t.minHitRatioDrop) return null;
  // Without a backend series the drop alone is the evidence; with one, the misses must be hurting it.
  if (backendSurge !== null && backendSurge < t.minBackendRiseRatio) return null;
  const pct = (r: number) => `${Math.round(r * 100)} %`;
  return {
    kind: "cache_stampede",
    resource: input.resource,
    severity: backendSurge !== null && backendSurge >= 1 ? "critical" : "warning",
    summary:
      `${input.resource}: hit ratio fell to ${pct(hitRatio)} from ${pct(hitRatioBaseline)}` +
      (backendSurge !== null ? `, sending ${Math.round((backendSurge + 1) * 10) / 10}× the usual work to the backend` : "") +
      ". Entries expiring together (no TTL jitter) or a flush: add jitter, refresh ahead, or let one caller recompute (request coalescing).",
    reasonCodes: ["hit_ratio_drop", ...(backendSurge !== null ? ["backend_surge"] : [])],
    evidence: {
      series: [input.hitRatio.name, input.lookups.name, ...(input.backendLoad ? [input.backendLoad.name] : [])],
      figures: { hitRatio, hitRatioBaseline, lookupsPerMinute: lookups, backendLoadPerMinute: load, backendLoadBaselinePerMinute: loadBaseline },
      exampleJobIds: [],
    },
  };
}
