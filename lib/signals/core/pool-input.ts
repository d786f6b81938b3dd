// The pool-saturation detector's input for each connection pool a service reports: wait, pending callers, timeouts, share in use.
import type { PoolInput } from "./pool";
import { DEFAULT_METRIC_NAMES, meanValue, type MetricMinute, sumOfLastValues, type SystemSnapshot, totalValue } from "./system-snapshot";
import { thresholdsForService } from "./thresholds";
import type { DetectorInput } from "./types";
import type { WindowIndex } from "./window-index";
import { divideWindows } from "./window-values";

/** The pool a metric point belongs to: its pool-name attribute, else "default". */
export function poolNameOf(m: MetricMinute): string {
  return m.attributes["db.client.connection.pool.name"] ?? m.attributes["pool.name"] ?? "default";
}

/** One input per (service, pool) with wait, timeout or pending metrics, ordered by "service/pool". */
export function poolInputs(index: WindowIndex, options: Pick<SystemSnapshot, "thresholds" | "metricNames">): DetectorInput<PoolInput>[] {
  const names = options.metricNames ?? DEFAULT_METRIC_NAMES;
  const pools = new Map<string, { service: string; pool: string }>();
  for (const m of index.metricMinutes([...names.poolWait, ...names.poolTimeouts, ...names.poolPending])) {
    const pool = poolNameOf(m);
    pools.set(`${m.service}\u0000${pool}`, { service: m.service, pool });
  }
  const ordered = [...pools.values()].sort((a, b) => `${a.service}/${a.pool}`.localeCompare(`${b.service}/${b.pool}`));
  return ordered.map(({ service, pool }) => {
    const ofPool = (metricNames: string[]) => index.metricMinutes(metricNames, [service]).filter((m) => poolNameOf(m) === pool);
    const resource = `db pool ${service}/${pool}`;
    const used = index.minuteValues(ofPool(names.poolUsage).filter((m) => (m.attributes["db.client.connection.state"] ?? m.attributes.state) === "used"), sumOfLastValues);
    const max = index.minuteValues(ofPool(names.poolMax), sumOfLastValues);
    // Wait times are recorded in seconds by the semantic conventions.
    const waitMs = index.toSeries(`${resource} wait ms`, index.minuteValues(ofPool(names.poolWait), (ms) => meanValue(ms) * 1000));
    const pending = index.toSeries(`${resource} pending`, index.minuteValues(ofPool(names.poolPending), meanValue));
    const timeouts = index.toSeries(`${resource} timeouts/min`, index.minuteValues(ofPool(names.poolTimeouts), totalValue));
    const usedRatio = index.toSeries(`${resource} used ratio`, divideWindows(used, max));
    return {
      input: { resource, waitMs, pending, timeouts, usedRatio, now: index.detectorNow, thresholds: thresholdsForService(options.thresholds, service).saturation },
      services: [service],
      charts: [waitMs, pending, timeouts, usedRatio].map(index.toChart),
    };
  });
}
