// One detection pass over a whole system: turns 10-second flow rollups and per-minute metrics into
// the detectors' minute series and runs every detector on every queue, pool and caller → dependency.
//
// Windows slide: the engine evaluates every few seconds, and "minute" k of a series is the 60 s
// ending k minutes before the evaluation end (not a calendar minute), so a fault shows in the newest
// window within seconds of reaching the data instead of after the next minute boundary.
import { type CacheWindow, detectCacheStampede } from "./cache-stampede";
import { detectPoolSaturation } from "./pool";
import type { AttemptSample } from "./retry-intervals";
import { detectRetryStorm } from "./retry-storm";
import { detectSaturation } from "./saturation";
import { medianOf } from "./series";
import { type ThresholdConfig, thresholdsForService } from "./thresholds";
import { FLOW_BUCKET_SECONDS, type FlowKind, type FlowRollup } from "../telemetry/flow-rollup";
import type { MinutePoint, NamedSeries, SignalCandidate } from "./types";


/** One metric series' figures for one calendar minute (minuteUnix: Unix seconds at its start). */
export interface MetricMinute {
  name: string;
  service: string;
  attributes: Record<string, string>;
  minuteUnix: number;
  /** Gauge mean, histogram mean, or sum increase in the minute. */
  value: number;
  /** Gauges: the last value. */
  last: number | null;
}

/** Which metric names carry what; the defaults are the OpenTelemetry semantic conventions plus common names. */
export interface MetricNames {
  queueDepth: string[];
  utilisation: string[];
  poolWait: string[];
  poolPending: string[];
  poolTimeouts: string[];
  poolUsage: string[];
  poolMax: string[];
  /** Counters of cache lookups with a hit/miss attribute. */
  cacheLookups: string[];
}
export const DEFAULT_METRIC_NAMES: MetricNames = {
  queueDepth: ["messaging.queue.depth", "sample.queue.depth", "rabbitmq.message.current", "queue.depth"],
  utilisation: ["hw.gpu.utilization", "gpu.utilization", "worker.utilization"],
  poolWait: ["db.client.connection.wait_time", "db.client.connections.create_time"],
  poolPending: ["db.client.connection.pending_requests", "db.client.connections.pending_requests"],
  poolTimeouts: ["db.client.connection.timeouts", "db.client.connections.timeouts"],
  poolUsage: ["db.client.connection.count", "db.client.connections.usage"],
  poolMax: ["db.client.connection.max", "db.client.connections.max"],
  cacheLookups: ["cache.requests", "sample.cache.requests"],
};
const CACHE_RESULT_KEYS = ["cache.result", "sample.cache.result"];

/** The p99 of one service's CONSUMER spans in one calendar minute (the latency knee's input). */
export interface ConsumerLatencyMinute {
  service: string;
  minuteUnix: number;
  p99Ms: number;
}

export interface SystemSnapshot {
  now: Date;
  /** Data younger than this is still arriving (export batching): the windows end this long before now. */
  lagSeconds: number;
  flows: FlowRollup[];
  metrics: MetricMinute[];
  /** Recent attempts of retried jobs, by the service that consumed them. */
  attemptSamples: Record<string, AttemptSample[]>;
  /** A few running jobs per queue, for the evidence list. */
  exampleJobIds: Record<string, string[]>;
  thresholds: ThresholdConfig;
  metricNames?: MetricNames;
  /** Consumers' tail latency per minute; absent: no latency-knee input. */
  consumerP99Ms?: ConsumerLatencyMinute[];
  /** Job-completion SLO threshold per queue, when an SLO covers it. */
  sloThresholdMsByQueue?: Record<string, number>;
}

export interface ChartPoint {
  at: string;
  value: number | null;
}
export interface DetectedSignal {
  candidate: SignalCandidate;
  /** Services the signal affects (for scoping gates, webhooks and links); the first is the one to act (consumer, pool owner, caller), whose thresholds judge it. */
  services: string[];
  /** The evidence series over the evaluated windows, with real times. */
  charts: { name: string; points: ChartPoint[] }[];
}

/** Minutes of history a pass needs: the retry-storm baseline plus its window, and one spare. */
export const HISTORY_MINUTES = 36;
const BUCKET_S = FLOW_BUCKET_SECONDS;

/** Evaluation end in Unix seconds: `lagSeconds` before now, on a bucket boundary. */
export function evaluationEnd(now: Date, lagSeconds: number): number {
  return Math.floor((now.getTime() / 1000 - lagSeconds) / BUCKET_S) * BUCKET_S;
}

export function detectSystem(s: SystemSnapshot): DetectedSignal[] {
  const names = s.metricNames ?? DEFAULT_METRIC_NAMES;
  const end = evaluationEnd(s.now, s.lagSeconds);
  // The detectors evaluate the minutes that ended before their `now`: give them a virtual calendar
  // whose newest whole minute is our newest sliding window.
  const virtualNewest = Math.floor(end / 60) * 60 - 60;
  const virtualNow = new Date((virtualNewest + 60) * 1000);
  const windowOfBucket = (bucket: number) => Math.floor((end - 1 - bucket) / 60); // 0 = newest
  const labelOf = (k: number) => virtualNewest - 60 * k;
  const realEndOf = (k: number) => new Date((end - 60 * k) * 1000).toISOString();

  const empty = (): (number | null)[] => new Array<number | null>(HISTORY_MINUTES).fill(null);
  const toSeries = (name: string, values: (number | null)[]): NamedSeries => ({
    name,
    points: values.map((value, k) => ({ minuteUnix: labelOf(k), value } as MinutePoint)).reverse(),
  });

  // Flow sums per (flow, service, target) and window.
  type Sums = { count: number[]; errors: number[]; retries: number[]; durationNs: number[] };
  const flowSums = new Map<string, Sums>();
  const zero = () => new Array<number>(HISTORY_MINUTES).fill(0);
  const seen = new Map<string, { flow: FlowKind; service: string; target: string }>();
  for (const f of s.flows) {
    if (f.bucket >= end) continue;
    const k = windowOfBucket(f.bucket);
    if (k < 0 || k >= HISTORY_MINUTES) continue;
    const key = `${f.flow}\u0000${f.service}\u0000${f.target}`;
    let sums = flowSums.get(key);
    if (!sums) {
      sums = { count: zero(), errors: zero(), retries: zero(), durationNs: zero() };
      flowSums.set(key, sums);
      seen.set(key, { flow: f.flow, service: f.service, target: f.target });
    }
    sums.count[k] = (sums.count[k] as number) + f.count;
    sums.errors[k] = (sums.errors[k] as number) + f.errorCount;
    sums.retries[k] = (sums.retries[k] as number) + f.retryCount;
    sums.durationNs[k] = (sums.durationNs[k] as number) + f.durationSumNs;
  }
  // Windows before the first bucket ever seen are gaps, not zeros: a fresh system has no history.
  let oldestWindow = -1;
  for (const f of s.flows) if (f.bucket < end) oldestWindow = Math.max(oldestWindow, Math.min(HISTORY_MINUTES - 1, windowOfBucket(f.bucket)));
  const present = (values: number[]): (number | null)[] => values.map((v, k) => (k <= oldestWindow ? v : null));
  const sumOver = (pred: (x: { flow: FlowKind; service: string; target: string }) => boolean, pick: keyof Sums) => {
    const out = zero();
    for (const [key, meta] of seen) {
      if (!pred(meta)) continue;
      const sums = flowSums.get(key) as Sums;
      for (let k = 0; k < HISTORY_MINUTES; k++) out[k] = (out[k] as number) + (sums[pick][k] as number);
    }
    return present(out);
  };
  const ratio = (a: (number | null)[], b: (number | null)[], scale = 1) =>
    a.map((x, k) => (x === null || b[k] === null || b[k] === 0 ? null : (x * scale) / (b[k] as number)));
  const minus = (a: (number | null)[], b: (number | null)[]) => a.map((x, k) => (x === null || b[k] === null ? null : x - (b[k] as number)));

  // Per-minute inputs (metrics, consumer latency): window k takes the calendar minute holding its last second.
  const minuteValues = <T extends { minuteUnix: number }>(items: readonly T[], pick: (ms: T[]) => number | null) => {
    const byWindow = new Map<number, T[]>();
    for (const m of items) {
      for (let k = 0; k < HISTORY_MINUTES; k++) {
        const t = end - 60 * k - 1;
        if (t >= m.minuteUnix && t < m.minuteUnix + 60) {
          const list = byWindow.get(k) ?? [];
          list.push(m);
          byWindow.set(k, list);
        }
      }
    }
    const out = empty();
    for (const [k, ms] of byWindow) out[k] = pick(ms);
    return out;
  };
  const metricValues = (pred: (m: MetricMinute) => boolean, pick: (ms: MetricMinute[]) => number | null) => minuteValues(s.metrics.filter(pred), pick);
  const mean = (ms: MetricMinute[]) => ms.reduce((a, m) => a + m.value, 0) / ms.length;
  const total = (ms: MetricMinute[]) => ms.reduce((a, m) => a + m.value, 0);
  const sumOfLast = (ms: MetricMinute[]) => ms.reduce((a, m) => a + (m.last ?? m.value), 0);

  const results: DetectedSignal[] = [];
  const chartsFor = (candidate: SignalCandidate, series: NamedSeries[]) =>
    candidate.evidence.series.flatMap((name) => {
      const found = series.find((x) => x.name === name);
      if (!found) return [];
      const points = [...found.points].reverse().map((p, k) => ({ at: realEndOf(k), value: p.value })).reverse();
      return [{ name, points }];
    });

  // Sums of one flow field over the buckets [from, to) for the flows that match.
  const sumBuckets = (from: number, to: number, match: (f: FlowRollup) => boolean, pick: (f: FlowRollup) => number) =>
    s.flows.reduce((n, f) => (f.bucket >= from && f.bucket < to && match(f) ? n + pick(f) : n), 0);
  // Mean service time of the jobs a queue's consumers completed in each of the newest three buckets, oldest first.
  const newestServiceTimesMs = (queue: string): (number | null)[] =>
    [3, 2, 1].map((n) => {
      const from = end - n * BUCKET_S;
      const consumes = (f: FlowRollup) => f.flow === "consume" && f.target === queue;
      const count = sumBuckets(from, from + BUCKET_S, consumes, (f) => f.count);
      return count > 0 ? sumBuckets(from, from + BUCKET_S, consumes, (f) => f.durationSumNs) / count / 1e6 : null;
    });

  // Saturation per queue.
  const queues = [...new Set([...seen.values()].filter((m) => m.flow === "publish" || m.flow === "consume").map((m) => m.target))].sort();
  for (const queue of queues) {
    const publishers = [...seen.values()].filter((m) => m.flow === "publish" && m.target === queue).map((m) => m.service);
    const consumers = [...seen.values()].filter((m) => m.flow === "consume" && m.target === queue).map((m) => m.service);
    if (consumers.length === 0) continue; // a delay or dead-letter queue nobody consumes is not worked off by capacity
    const services = [...new Set([...consumers.sort(), ...publishers.sort()])];
    const thresholds = thresholdsForService(s.thresholds, consumers[0] as string).saturation;
    const arrivals = sumOver((m) => m.flow === "publish" && m.target === queue, "count");
    const completions = sumOver((m) => m.flow === "consume" && m.target === queue, "count");
    const busyNs = sumOver((m) => m.flow === "consume" && m.target === queue, "durationNs");
    const serviceTimeMs = ratio(busyNs, completions, 1e-6);
    const depth = metricValues((m) => names.queueDepth.includes(m.name) && m.attributes["messaging.destination.name"] === queue, sumOfLast);
    const utilisation = metricValues((m) => names.utilisation.includes(m.name) && consumers.includes(m.service), mean);
    const workerSeries = metricValues((m) => names.utilisation.includes(m.name) && consumers.includes(m.service), (ms) => ms.length);
    // Busy consumers on average (Little's law on the workers) ÷ utilisation = the slots there are.
    const concurrency = busyNs.map((ns) => (ns === null ? null : ns / 60e9));
    const k0 = utilisation.findIndex((u) => u !== null && u > 0.05);
    // The median over the windows, so a window whose busy time and utilisation samples disagree (a ramp) does not skew it.
    const slotEstimates = utilisation.flatMap((u, k) => (u !== null && u > 0.05 && concurrency[k] !== null ? [(concurrency[k] as number) / u] : []));
    const slots = medianOf(slotEstimates);
    const workers = workerSeries[k0 >= 0 ? k0 : 0] ?? null;
    const slotsPerWorker = slots !== null && workers ? Math.max(1, Math.round(slots / workers)) : 1;
    // The slowest consumer's p99 each minute: with throughput, the latency knee.
    const p99 = minuteValues((s.consumerP99Ms ?? []).filter((c) => consumers.includes(c.service)), (cs) => Math.max(...cs.map((c) => c.p99Ms)));
    const series = [
      toSeries(`${queue} consumer p99 ms`, p99),
      toSeries(`${queue} arrivals/min`, arrivals),
      toSeries(`${queue} completions/min`, completions),
      toSeries(`${queue} depth`, depth),
      toSeries(`${queue} service time ms`, serviceTimeMs),
      toSeries(`${queue} workers`, workerSeries),
      toSeries(`${queue} utilisation`, utilisation),
    ];
    const [p99S, arrivalsS, completionsS, backlogS, serviceS, workersS, utilS] = series as [NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries];
    const found = detectSaturation({
      queue,
      arrivals: arrivalsS, completions: completionsS, backlog: backlogS, serviceTimeMs: serviceS, workers: workersS, slotsPerWorker,
      utilisation: utilS.points.some((p) => p.value !== null) ? utilS : undefined,
      latencyP99: p99S.points.some((p) => p.value !== null) ? p99S : undefined,
      recentServiceTimesMs: newestServiceTimesMs(queue), slots,
      sloThresholdMs: s.sloThresholdMsByQueue?.[queue],
      exampleJobIds: s.exampleJobIds[queue] ?? [],
      now: virtualNow, thresholds,
    });
    // The summary names the queue; the resource says what kind of thing it is, beside pools and dependencies.
    const candidate = found && { ...found, resource: `queue ${queue}` };
    if (candidate) results.push({ candidate, services, charts: chartsFor(candidate, series) });
  }

  // Connection pools per service and pool name.
  const poolKeys = new Map<string, { service: string; pool: string }>();
  for (const m of s.metrics) {
    if (![...names.poolWait, ...names.poolTimeouts, ...names.poolPending].includes(m.name)) continue;
    const pool = m.attributes["db.client.connection.pool.name"] ?? m.attributes["pool.name"] ?? "default";
    poolKeys.set(`${m.service}\u0000${pool}`, { service: m.service, pool });
  }
  for (const { service, pool } of [...poolKeys.values()].sort((a, b) => `${a.service}/${a.pool}`.localeCompare(`${b.service}/${b.pool}`))) {
    const ofPool = (list: string[]) => (m: MetricMinute) =>
      list.includes(m.name) && m.service === service && (m.attributes["db.client.connection.pool.name"] ?? m.attributes["pool.name"] ?? "default") === pool;
    const resource = `db pool ${service}/${pool}`;
    // Wait times are recorded in seconds by the semantic conventions.
    const waitMs = metricValues(ofPool(names.poolWait), (ms) => mean(ms) * 1000);
    const used = metricValues((m) => ofPool(names.poolUsage)(m) && (m.attributes["db.client.connection.state"] ?? m.attributes.state) === "used", sumOfLast);
    const max = metricValues(ofPool(names.poolMax), sumOfLast);
    const series = [
      toSeries(`${resource} wait ms`, waitMs),
      toSeries(`${resource} pending`, metricValues(ofPool(names.poolPending), mean)),
      toSeries(`${resource} timeouts/min`, metricValues(ofPool(names.poolTimeouts), total)),
      toSeries(`${resource} used ratio`, ratio(used, max)),
    ];
    const [waitS, pendingS, timeoutsS, usedS] = series as [NamedSeries, NamedSeries, NamedSeries, NamedSeries];
    const candidate = detectPoolSaturation({
      resource, waitMs: waitS, pending: pendingS, timeouts: timeoutsS, usedRatio: usedS,
      now: virtualNow, thresholds: thresholdsForService(s.thresholds, service).saturation,
    });
    if (candidate) results.push({ candidate, services: [service], charts: chartsFor(candidate, series) });
  }

  // Cache stampedes per service: from its traced lookups (10-s buckets) where it traces them, else from
  // its lookup counters by result (calendar minutes, the newest one partial).
  const firstBucket = s.flows.reduce((m, f) => Math.min(m, f.bucket), Infinity);
  const historyStart = end - HISTORY_MINUTES * 60;
  // Per service and bucket: lookups, misses, messages published.
  const cacheFlows = new Map<string, { lookups: number; misses: number; published: number }>();
  for (const f of s.flows) {
    if (f.flow !== "lookup" && f.flow !== "publish") continue;
    const key = `${f.service}\u0000${f.bucket}`;
    const c = cacheFlows.get(key) ?? { lookups: 0, misses: 0, published: 0 };
    if (f.flow === "lookup") (c.lookups += f.count), (c.misses += f.missCount);
    else c.published += f.count;
    cacheFlows.set(key, c);
  }
  const flowsAt = (service: string, bucket: number) => cacheFlows.get(`${service}\u0000${bucket}`) ?? { lookups: 0, misses: 0, published: 0 };
  const tracedCaches = new Set(s.flows.filter((f) => f.flow === "lookup").map((f) => f.service));
  const countedCaches = new Set(s.metrics.filter((m) => names.cacheLookups.includes(m.name)).map((m) => m.service));
  for (const service of [...new Set([...tracedCaches, ...countedCaches])].sort()) {
    const hasBackend = s.flows.some((f) => f.flow === "publish" && f.service === service);
    const windows: CacheWindow[] = [];
    if (tracedCaches.has(service)) {
      for (let b = historyStart; b < end; b += BUCKET_S) {
        const known = b >= firstBucket;
        const { lookups, misses, published } = flowsAt(service, b);
        windows.push({ endUnix: b + BUCKET_S, seconds: BUCKET_S, lookups: known ? lookups : null, hits: known ? lookups - misses : null, backendLoad: known && hasBackend ? published : null });
      }
    } else {
      const resultOf = (m: MetricMinute) => CACHE_RESULT_KEYS.map((k) => m.attributes[k]).find((v) => v !== undefined);
      for (let minute = Math.floor(historyStart / 60) * 60; minute < end; minute += 60) {
        const ms = s.metrics.filter((m) => m.minuteUnix === minute && m.service === service && names.cacheLookups.includes(m.name));
        const windowEnd = Math.min(minute + 60, end);
        windows.push({
          endUnix: windowEnd, seconds: windowEnd - minute,
          lookups: ms.length > 0 ? total(ms) : null, hits: ms.length > 0 ? total(ms.filter((m) => resultOf(m) === "hit")) : null,
          backendLoad: hasBackend ? sumBuckets(minute, windowEnd, (f) => f.flow === "publish" && f.service === service, (f) => f.count) : null,
        });
      }
    }
    const resource = `cache of ${service}`;
    const candidate = detectCacheStampede({ resource, windows, hasBackend, thresholds: thresholdsForService(s.thresholds, service).cacheStampede });
    if (!candidate) continue;
    // Charts at the windows' own resolution, over the last 15 minutes.
    const shown = windows.filter((w) => w.endUnix > end - 15 * 60);
    const chart = (name: string, value: (w: CacheWindow) => number | null) => ({ name, points: shown.map((w) => ({ at: new Date(w.endUnix * 1000).toISOString(), value: value(w) })) });
    const charts = [
      chart(`${resource} hit ratio`, (w) => (w.lookups ? (w.hits ?? 0) / w.lookups : null)),
      chart(`${resource} lookups/min`, (w) => (w.lookups === null ? null : (w.lookups * 60) / w.seconds)),
      ...(hasBackend ? [chart(`${service} published/min`, (w) => (w.backendLoad === null ? null : (w.backendLoad * 60) / w.seconds))] : []),
    ];
    results.push({ candidate, services: [service], charts });
  }

  // The newest 30 s of a caller's consumed jobs (first attempts and all) and its calls to a dependency.
  const NEWEST_S = 30;
  const newestFlowSums = (caller: string, dependency: string) => {
    const consumes = (f: FlowRollup) => f.flow === "consume" && f.service === caller;
    return {
      seconds: NEWEST_S,
      consumed: sumBuckets(end - NEWEST_S, end, consumes, (f) => f.count),
      originalRequests: sumBuckets(end - NEWEST_S, end, consumes, (f) => f.count - f.retryCount),
      downstreamRequests: sumBuckets(end - NEWEST_S, end, (f) => f.flow === "call" && f.service === caller && f.target === dependency, (f) => f.count),
    };
  };

  // Retry storms per caller → dependency: the caller's consumed jobs are the original load.
  const calls = [...seen.values()].filter((m) => m.flow === "call");
  for (const { service: caller, target: dependency } of calls.sort((a, b) => `${a.service}>${a.target}`.localeCompare(`${b.service}>${b.target}`))) {
    const consumes = (m: { flow: FlowKind; service: string }) => m.flow === "consume" && m.service === caller;
    const consumed = sumOver(consumes, "count");
    if (consumed.every((v) => v === null || v === 0)) continue;
    // The failing dependency is one whose calls fail more than before; the caller's other
    // dependencies see the retried load too, but they are not what the retries are about.
    const thresholds = thresholdsForService(s.thresholds, caller).retryStorm;
    const ofPair = (m: { flow: FlowKind; service: string; target: string }) => m.flow === "call" && m.service === caller && m.target === dependency;
    const callErrorRatio = ratio(sumOver(ofPair, "errors"), sumOver(ofPair, "count"));
    const meanIn = (values: (number | null)[], from: number, to: number) => {
      const present = values.slice(from, to).filter((v): v is number => v !== null);
      return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
    };
    const recentCallErrors = meanIn(callErrorRatio, 0, thresholds.windowMinutes);
    const baselineCallErrors = meanIn(callErrorRatio, thresholds.windowMinutes, thresholds.windowMinutes + thresholds.baselineMinutes) ?? 0;
    if (recentCallErrors === null || recentCallErrors - baselineCallErrors < thresholds.errorRiseAbsolute) continue;
    const errors = sumOver(consumes, "errors");
    const retries = sumOver(consumes, "retries");
    const original = minus(consumed, retries);
    const dlq = sumOver((m) => m.flow === "publish" && m.service === caller && /dlq|dead/i.test(m.target), "count");
    // Dead-lettered messages stay: their running total is the DLQ's depth added in the window.
    const dlqDepth = [...dlq].reverse().reduce<(number | null)[]>((acc, v) => [...acc, v === null ? null : (acc.at(-1) ?? 0) + v], []).reverse();
    const series = [
      toSeries(`${caller} original jobs/min`, original),
      toSeries(`${caller} → ${dependency} calls/min`, sumOver((m) => m.flow === "call" && m.service === caller && m.target === dependency, "count")),
      toSeries(`${caller} error ratio`, ratio(errors, consumed)),
      toSeries(`${caller} successes/min`, minus(consumed, errors)),
      toSeries(`${caller} attempts per job`, ratio(consumed, original)),
      toSeries(`${caller} retries/min`, retries),
      toSeries(`${caller} dead-lettered (cumulative)`, dlqDepth),
      toSeries(`${caller} → ${dependency} error ratio`, callErrorRatio),
    ];
    const [origS, downS, errS, succS, attS, retS, dlqS] = series as [NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries, NamedSeries];
    const candidate = detectRetryStorm({
      caller, dependency,
      originalRequests: origS, downstreamRequests: downS, callerErrorRatio: errS, successfulThroughput: succS,
      attemptsPerJob: attS, retries: retS, dlqDepth: dlqS.points.some((p) => p.value) ? dlqS : undefined,
      attemptSamples: s.attemptSamples[caller],
      newest: newestFlowSums(caller, dependency),
      now: virtualNow, thresholds,
    });
    if (candidate) results.push({ candidate, services: [...new Set([caller, dependency])], charts: chartsFor(candidate, series) });
  }
  return results;
}
