// Seeded synthetic telemetry for detector tests and benchmarks: a per-minute queue simulation and retry traffic.
import { seededRandom } from "../random/seeded";
import type { MinutePoint, NamedSeries } from "./types";


/** Normal deviate by Box–Muller. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface QueueSimulation {
  arrivals: NamedSeries;
  completions: NamedSeries;
  backlog: NamedSeries;
  serviceTimeMs: NamedSeries;
  workers: NamedSeries;
  utilisation: NamedSeries;
  latencyP99: NamedSeries;
}

/**
 * Simulates a FIFO queue minute by minute: Poisson-like arrivals (normal approximation), completions
 * capped by capacity = workers · slots · 1000 / serviceTimeMs, backlog carried over, p99 as service time
 * plus the Little's-law wait of the backlog.
 */
export function simulateQueue(options: {
  startMinuteUnix: number;
  minutes: number;
  seed: number;
  arrivalRatePerS: (minute: number) => number;
  workers: (minute: number) => number;
  serviceTimeMs: number;
  slotsPerWorker: number;
  /** Minutes whose points are gaps in every series, to test missing data. */
  gapMinutes?: Set<number>;
}): QueueSimulation {
  const random = seededRandom(options.seed);
  const series = (name: string): NamedSeries => ({ name, points: [] });
  const out: QueueSimulation = {
    arrivals: series("messaging.publish.count"),
    completions: series("messaging.process.count"),
    backlog: series("queue.depth"),
    serviceTimeMs: series("messaging.process.duration.mean"),
    workers: series("worker.count"),
    utilisation: series("worker.utilisation"),
    latencyP99: series("job.completion.p99"),
  };
  let backlog = 0;
  for (let m = 0; m < options.minutes; m++) {
    const expectedArrivals = options.arrivalRatePerS(m) * 60;
    const arrivals = Math.max(0, Math.round(expectedArrivals + gaussian(random) * Math.sqrt(expectedArrivals)));
    const workers = options.workers(m);
    const serviceTimeMs = options.serviceTimeMs * (1 + 0.03 * gaussian(random));
    const capacityPerMinute = (workers * options.slotsPerWorker * 60_000) / serviceTimeMs;
    const completions = Math.min(Math.round(capacityPerMinute), backlog + arrivals);
    backlog = backlog + arrivals - completions;
    const waitMs = completions > 0 ? (backlog / completions) * 60_000 : 60_000;
    // A depth snapshot also catches jobs published in the last seconds and not yet picked up.
    const inFlight = Math.round(Math.abs(gaussian(random)) * 3 * Math.sqrt(expectedArrivals / 60));
    const values: Record<keyof QueueSimulation, number> = {
      arrivals,
      completions,
      backlog: backlog + inFlight,
      serviceTimeMs,
      workers,
      utilisation: capacityPerMinute > 0 ? completions / capacityPerMinute : 1,
      latencyP99: serviceTimeMs * 3 + waitMs,
    };
    const gap = options.gapMinutes?.has(m) ?? false;
    for (const key of Object.keys(out) as (keyof QueueSimulation)[]) {
      const point: MinutePoint = { minuteUnix: options.startMinuteUnix + m * 60, value: gap ? null : values[key] };
      out[key].points.push(point);
    }
  }
  return out;
}

export interface RetryTraffic {
  originalRequests: NamedSeries;
  downstreamRequests: NamedSeries;
  callerErrorRatio: NamedSeries;
  successfulThroughput: NamedSeries;
  attemptsPerJob: NamedSeries;
  retryDelayMsP50: NamedSeries;
  dlqDepth: NamedSeries;
}

/**
 * Per-minute retry traffic of a caller against a dependency that fails each attempt with probability
 * `failureRatio(minute)`; jobs try up to `maxAttempts` times, then go to the DLQ. Retry k waits
 * `retryDelayMs(k)` (k = 1 for the first retry). Attempts are counted in the minute the job arrived.
 */
export function simulateRetryTraffic(options: {
  startMinuteUnix: number;
  minutes: number;
  seed: number;
  originalRatePerS: number;
  failureRatio: (minute: number) => number;
  maxAttempts: number;
  retryDelayMs: (retry: number) => number;
}): RetryTraffic {
  const random = seededRandom(options.seed);
  const series = (name: string): NamedSeries => ({ name, points: [] });
  const out: RetryTraffic = {
    originalRequests: series("jobs.accepted"),
    downstreamRequests: series("http.client.request.count"),
    callerErrorRatio: series("http.client.error_ratio"),
    successfulThroughput: series("jobs.succeeded"),
    attemptsPerJob: series("job.attempts.mean"),
    retryDelayMsP50: series("job.retry.delay.p50"),
    dlqDepth: series("dlq.depth"),
  };
  let dlq = 0;
  for (let m = 0; m < options.minutes; m++) {
    const expected = options.originalRatePerS * 60;
    const jobs = Math.max(1, Math.round(expected + gaussian(random) * Math.sqrt(expected)));
    const p = Math.min(1, Math.max(0, options.failureRatio(m) + 0.002 * gaussian(random)));
    // Expected attempts per job with up to K tries: 1 + p + p² + … + p^(K−1).
    let attemptsPerJob = 0;
    for (let k = 0; k < options.maxAttempts; k++) attemptsPerJob += Math.pow(p, k);
    const failedForGood = jobs * Math.pow(p, options.maxAttempts);
    dlq += failedForGood;
    const values: Record<keyof RetryTraffic, number> = {
      originalRequests: jobs,
      downstreamRequests: Math.round(jobs * attemptsPerJob),
      callerErrorRatio: p,
      successfulThroughput: Math.round(jobs - failedForGood),
      attemptsPerJob,
      retryDelayMsP50: options.retryDelayMs(Math.max(1, Math.round(options.maxAttempts / 2))),
      dlqDepth: Math.round(dlq),
    };
    for (const key of Object.keys(out) as (keyof RetryTraffic)[]) {
      out[key].points.push({ minuteUnix: options.startMinuteUnix + m * 60, value: values[key] });
    }
  }
  return out;
}
