// Seeded synthetic telemetry for detector tests and benchmarks: a per-minute queue simulation and retry traffic.
import type { MinutePoint, NamedSeries } from "./types";

/** mulberry32: a tiny seeded PRNG, so a noisy scenario is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const values: Record<keyof QueueSimulation, number> = {
      arrivals,
      completions,
      backlog,
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
