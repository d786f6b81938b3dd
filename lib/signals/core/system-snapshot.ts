// What one detection pass reads: a system's recent flow rollups and metric minutes, and the names that say which metric carries what.
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import type { AttemptSample } from "./retry-intervals";
import type { ThresholdConfig } from "./thresholds";

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

/** Per-minute metric aggregates folded into one window's figure. */
export const meanValue = (ms: readonly MetricMinute[]): number => ms.reduce((a, m) => a + m.value, 0) / ms.length;
export const totalValue = (ms: readonly MetricMinute[]): number => ms.reduce((a, m) => a + m.value, 0);
/** Gauges summed over their series at each one's last value: a queue's depth over its partitions, a pool's connections. */
export const sumOfLastValues = (ms: readonly MetricMinute[]): number => ms.reduce((a, m) => a + (m.last ?? m.value), 0);
