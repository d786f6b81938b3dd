// The saturation detector's input for each consumed queue: arrivals, completions, service time, depth,
// workers and their utilisation, and the consumers' p99 for the latency knee, one figure per window.
import { FLOW_BUCKET_SECONDS, type FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { groupBy } from "./row-lookup";
import type { SaturationInput } from "./saturation";
import { medianOf } from "./series";
import { DEFAULT_METRIC_NAMES, meanValue, type MetricMinute, sumOfLastValues, type SystemSnapshot } from "./system-snapshot";
import { thresholdsForService } from "./thresholds";
import type { DetectorInput } from "./types";
import type { FlowKey, WindowIndex } from "./window-index";
import { divideWindows, hasFigures, type WindowValues } from "./window-values";

type Options = Pick<SystemSnapshot, "thresholds" | "metricNames" | "consumerP99Ms" | "sloThresholdMsByQueue" | "exampleJobIds">;

/** Utilisation at or below this says too little about the slots to estimate them. */
const MIN_UTILISATION_FOR_SLOTS = 0.05;

/** One input per queue that something consumes, in queue order; its services are the consumers, then the publishers. */
export function saturationInputs(index: WindowIndex, options: Options): DetectorInput<SaturationInput>[] {
  const queues = [...new Set(index.flowKeys.filter((k) => k.flow === "publish" || k.flow === "consume").map((k) => k.target))].sort();
  // Depth gauges grouped by queue once: looking them up per queue would scan them all for each.
  const depthByQueue = groupBy(index.metricMinutes((options.metricNames ?? DEFAULT_METRIC_NAMES).queueDepth), (m) => m.attributes["messaging.destination.name"]);
  return queues.flatMap((queue) => {
    const built = queueSaturationInput(index, { queue, depth: depthByQueue.get(queue) ?? [] }, options);
    return built === null ? [] : [built];
  });
}

function queueSaturationInput(index: WindowIndex, of: { queue: string; depth: readonly MetricMinute[] }, options: Options): DetectorInput<SaturationInput> | null {
  const { queue } = of;
  const names = options.metricNames ?? DEFAULT_METRIC_NAMES;
  const publishes = (k: FlowKey) => k.flow === "publish" && k.target === queue;
  const consumes = (k: FlowKey) => k.flow === "consume" && k.target === queue;
  const publishers = index.flowKeys.filter(publishes).map((k) => k.service).sort();
  const consumers = index.flowKeys.filter(consumes).map((k) => k.service).sort();
  const [firstConsumer] = consumers;
  if (firstConsumer === undefined) return null; // a delay or dead-letter queue nobody consumes is not worked off by capacity
  const thresholds = thresholdsForService(options.thresholds, firstConsumer).saturation;

  const arrivals = index.flowSums(publishes, "count");
  const completions = index.flowSums(consumes, "count");
  const busyNs = index.flowSums(consumes, "durationNs");
  const ofConsumers = index.metricMinutes(names.utilisation, consumers);
  const utilisation = index.minuteValues(ofConsumers, meanValue);
  const workers = index.minuteValues(ofConsumers, (ms) => ms.length);
  const slots = estimateSlots(busyNs, utilisation);
  const firstBusy = utilisation.findIndex((u) => u !== null && u > MIN_UTILISATION_FOR_SLOTS);
  const workerCount = workers[firstBusy >= 0 ? firstBusy : 0] ?? null;
  // The slowest consumer's p99 each minute: with throughput, the latency knee.
  const p99 = index.minuteValues((options.consumerP99Ms ?? []).filter((c) => consumers.includes(c.service)), (cs) => Math.max(...cs.map((c) => c.p99Ms)));

  const series = {
    p99: index.toSeries(`${queue} consumer p99 ms`, p99),
    arrivals: index.toSeries(`${queue} arrivals/min`, arrivals),
    completions: index.toSeries(`${queue} completions/min`, completions),
    backlog: index.toSeries(`${queue} depth`, index.minuteValues(of.depth, sumOfLastValues)),
    serviceTimeMs: index.toSeries(`${queue} service time ms`, divideWindows(busyNs, completions, 1e-6)),
    workers: index.toSeries(`${queue} workers`, workers),
    utilisation: index.toSeries(`${queue} utilisation`, utilisation),
  };
  return {
    input: {
      queue,
      arrivals: series.arrivals,
      completions: series.completions,
      backlog: series.backlog,
      serviceTimeMs: series.serviceTimeMs,
      workers: series.workers,
      slotsPerWorker: slots !== null && workerCount ? Math.max(1, Math.round(slots / workerCount)) : 1,
      utilisation: hasFigures(utilisation) ? series.utilisation : undefined,
      latencyP99: hasFigures(p99) ? series.p99 : undefined,
      recentServiceTimesMs: newestServiceTimesMs(index, queue),
      slots,
      sloThresholdMs: options.sloThresholdMsByQueue?.[queue],
      exampleJobIds: options.exampleJobIds[queue] ?? [],
      now: index.detectorNow,
      thresholds,
    },
    services: [...new Set([...consumers, ...publishers])],
    charts: Object.values(series).map(index.toChart),
  };
}

/**
 * Worker slots in all: busy consumers on average (Little's law on the workers, busy time ÷ 60 s) ÷ utilisation,
 * the median over the windows, so a window whose busy time and utilisation samples disagree (a ramp) does not skew it.
 */
export function estimateSlots(busyNs: WindowValues, utilisation: WindowValues): number | null {
  const estimates = utilisation.flatMap((u, k) => {
    const ns = busyNs[k] ?? null;
    return u !== null && u > MIN_UTILISATION_FOR_SLOTS && ns !== null ? [ns / 60e9 / u] : [];
  });
  return medianOf(estimates);
}

/** Mean service time of the jobs a queue's consumers completed in each of the newest three flow buckets, oldest first; null for a bucket with none. */
export function newestServiceTimesMs(index: WindowIndex, queue: string): (number | null)[] {
  const consumes = (f: FlowRollup) => f.flow === "consume" && f.target === queue;
  return [3, 2, 1].map((n) => {
    const from = index.endUnix - n * FLOW_BUCKET_SECONDS;
    const to = from + FLOW_BUCKET_SECONDS;
    const count = index.bucketSum(from, to, consumes, (f) => f.count);
    return count > 0 ? index.bucketSum(from, to, consumes, (f) => f.durationSumNs) / count / 1e6 : null;
  });
}
