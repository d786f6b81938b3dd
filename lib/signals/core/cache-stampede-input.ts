// The cache-stampede detector's input for each service with a cache: from its traced lookups (10-s flow
// buckets) where it traces them, else from its lookup counters by result (calendar minutes, the newest partial).
import { FLOW_BUCKET_SECONDS } from "../../telemetry/core/rollups/flow-rollup";
import type { CacheStampedeInput, CacheWindow } from "./cache-stampede";
import { DEFAULT_METRIC_NAMES, type MetricMinute, type MetricNames, type SystemSnapshot, totalValue } from "./system-snapshot";
import { thresholdsForService } from "./thresholds";
import type { Chart, DetectorInput } from "./types";
import { HISTORY_MINUTES, type WindowIndex } from "./window-index";

const CACHE_RESULT_KEYS = ["cache.result", "sample.cache.result"];
/** The charts show this much of the windows, at their own resolution. */
const CHART_SECONDS = 15 * 60;

/** One input per service that traces or counts cache lookups, in service order. */
export function cacheStampedeInputs(index: WindowIndex, options: Pick<SystemSnapshot, "thresholds" | "metricNames">): DetectorInput<CacheStampedeInput>[] {
  const names = options.metricNames ?? DEFAULT_METRIC_NAMES;
  const traced = new Set(index.flows.filter((f) => f.flow === "lookup").map((f) => f.service));
  const counted = new Set(index.metricMinutes(names.cacheLookups).map((m) => m.service));
  const publishing = new Set(index.flows.filter((f) => f.flow === "publish").map((f) => f.service));
  return [...new Set([...traced, ...counted])].sort().map((service) => {
    const hasBackend = publishing.has(service);
    const windows = traced.has(service) ? tracedCacheWindows(index, service, hasBackend) : countedCacheWindows(index, service, hasBackend, names);
    const resource = `cache of ${service}`;
    return {
      input: { resource, windows, hasBackend, thresholds: thresholdsForService(options.thresholds, service).cacheStampede },
      services: [service],
      charts: cacheCharts({ resource, service, windows, hasBackend, endUnix: index.endUnix }),
    };
  });
}

/** One window per flow bucket of the history: the service's lookups, hits and published jobs; gaps before the first flow of any kind. */
export function tracedCacheWindows(index: WindowIndex, service: string, hasBackend: boolean): CacheWindow[] {
  const firstBucket = index.firstFlowBucket();
  const byBucket = new Map<number, { lookups: number; misses: number; published: number }>();
  for (const f of index.flowsOfService(service)) {
    if (f.flow !== "lookup" && f.flow !== "publish") continue;
    const c = byBucket.get(f.bucket) ?? { lookups: 0, misses: 0, published: 0 };
    if (f.flow === "lookup") {
      c.lookups += f.count;
      c.misses += f.missCount;
    } else c.published += f.count;
    byBucket.set(f.bucket, c);
  }
  const windows: CacheWindow[] = [];
  for (let b = index.endUnix - HISTORY_MINUTES * 60; b < index.endUnix; b += FLOW_BUCKET_SECONDS) {
    const known = b >= firstBucket;
    const { lookups, misses, published } = byBucket.get(b) ?? { lookups: 0, misses: 0, published: 0 };
    windows.push({
      endUnix: b + FLOW_BUCKET_SECONDS, seconds: FLOW_BUCKET_SECONDS,
      lookups: known ? lookups : null, hits: known ? lookups - misses : null, backendLoad: known && hasBackend ? published : null,
    });
  }
  return windows;
}

/** One window per calendar minute of the history from the lookup counters by result, the newest cut at the evaluation end; a minute without counters is a gap. */
export function countedCacheWindows(index: WindowIndex, service: string, hasBackend: boolean, names: MetricNames): CacheWindow[] {
  const resultOf = (m: MetricMinute) => CACHE_RESULT_KEYS.map((k) => m.attributes[k]).find((v) => v !== undefined);
  const end = index.endUnix;
  const counters = index.metricMinutes(names.cacheLookups, [service]);
  const windows: CacheWindow[] = [];
  for (let minute = Math.floor((end - HISTORY_MINUTES * 60) / 60) * 60; minute < end; minute += 60) {
    const ms = counters.filter((m) => m.minuteUnix === minute);
    const windowEnd = Math.min(minute + 60, end);
    windows.push({
      endUnix: windowEnd, seconds: windowEnd - minute,
      lookups: ms.length > 0 ? totalValue(ms) : null, hits: ms.length > 0 ? totalValue(ms.filter((m) => resultOf(m) === "hit")) : null,
      backendLoad: hasBackend ? index.bucketSum(minute, windowEnd, (f) => f.flow === "publish" && f.service === service, (f) => f.count) : null,
    });
  }
  return windows;
}

/** Hit ratio, lookups/min and (with a backend) published/min over the last 15 minutes of windows. */
export function cacheCharts(options: { resource: string; service: string; windows: readonly CacheWindow[]; hasBackend: boolean; endUnix: number }): Chart[] {
  const { resource, service, windows, hasBackend, endUnix } = options;
  const shown = windows.filter((w) => w.endUnix > endUnix - CHART_SECONDS);
  const chart = (name: string, value: (w: CacheWindow) => number | null): Chart => ({
    name, points: shown.map((w) => ({ at: new Date(w.endUnix * 1000).toISOString(), value: value(w) })),
  });
  return [
    chart(`${resource} hit ratio`, (w) => (w.lookups ? (w.hits ?? 0) / w.lookups : null)),
    chart(`${resource} lookups/min`, (w) => (w.lookups === null ? null : (w.lookups * 60) / w.seconds)),
    ...(hasBackend ? [chart(`${service} published/min`, (w) => (w.backendLoad === null ? null : (w.backendLoad * 60) / w.seconds))] : []),
  ];
}
