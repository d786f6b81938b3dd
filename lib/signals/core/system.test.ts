import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { seededRandom } from "../../random/seeded";
import { detectSystem, evaluationEnd, type MetricMinute, type SystemSnapshot } from "./system";
import { ThresholdConfigSchema } from "./thresholds";

const NOW = new Date("2026-11-23T12:00:05Z");
const END = evaluationEnd(NOW, 10);
const thresholds = ThresholdConfigSchema.parse({});

type Shape = {
  /** Arrivals/s, completions/s, call amplification, error ratio, retry share at `secondsBeforeEnd`. */
  at: (secondsBeforeEnd: number) => { arrivals: number; completions: number; callsPerJob?: number; errorRatio?: number; retryShare?: number; serviceMs?: number };
  poolWaitMs?: (secondsBeforeEnd: number) => number;
  /** The api's traced cache lookups per second and their hit ratio (published jobs are the misses). */
  cache?: (secondsBeforeEnd: number) => { lookups: number; hitRatio: number };
  /** Count the api's cache lookups as metrics (calendar minutes) instead of traced lookups. */
  cacheAsMetrics?: boolean;
};

function snapshot(shape: Shape, seed = 1): SystemSnapshot {
  const random = seededRandom(seed);
  const noisy = (perS: number) => Math.max(0, Math.round(perS * 10 * (1 + (random() - 0.5) * 0.1)));
  const flows: FlowRollup[] = [];
  // A minute's aggregate is updated as points arrive: the newest minute holds what came so far.
  const metrics = new Map<string, MetricMinute>();
  const gauge = (m: MetricMinute) => metrics.set(`${m.name}/${m.service}/${m.minuteUnix}`, m);
  let depth = 20;
  for (let bucket = END - 40 * 60; bucket < END; bucket += 10) {
    const f = shape.at(END - bucket);
    const arrivals = noisy(f.arrivals);
    const completions = noisy(f.completions);
    const retries = Math.round(completions * (f.retryShare ?? 0));
    const errors = Math.round(completions * (f.errorRatio ?? 0));
    depth = Math.max(0, depth + arrivals - completions);
    const base = { bucket, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 };
    const c = shape.cache?.(END - bucket);
    const lookups = c ? noisy(c.lookups) : 0;
    const misses = c ? Math.round(lookups * (1 - c.hitRatio) * (1 + (random() - 0.5) * 0.1)) : 0;
    flows.push({ ...base, flow: "publish", service: "api", target: "jobs", count: c ? misses : arrivals });
    if (c && !shape.cacheAsMetrics) flows.push({ ...base, flow: "lookup", service: "api", target: "redis", count: lookups, missCount: misses });
    flows.push({ ...base, flow: "consume", service: "worker", target: "jobs", count: completions, errorCount: errors, retryCount: retries, durationSumNs: completions * (f.serviceMs ?? 280) * 1e6 });
    flows.push({ ...base, flow: "call", service: "worker", target: "feature-store", count: Math.round(completions * (f.callsPerJob ?? 1)), errorCount: errors });
    const minuteUnix = bucket - (bucket % 60);
    if (c && shape.cacheAsMetrics) {
      for (const [result, n] of [["hit", lookups - misses], ["miss", misses]] as const) {
        const key = `sample.cache.requests/${result}/${minuteUnix}`;
        const prev = metrics.get(key)?.value ?? 0;
        metrics.set(key, { name: "sample.cache.requests", service: "api", attributes: { "sample.cache.result": result }, minuteUnix, value: prev + n, last: null });
      }
    }
    gauge({ name: "sample.queue.depth", service: "worker", attributes: { "messaging.destination.name": "jobs" }, minuteUnix, value: depth, last: depth });
    gauge({ name: "hw.gpu.utilization", service: "worker", attributes: { "hw.id": "gpu0" }, minuteUnix, value: Math.min(1, (f.arrivals * (f.serviceMs ?? 280)) / 1000 / 8), last: null });
    if (shape.poolWaitMs) {
      gauge({ name: "db.client.connection.wait_time", service: "api", attributes: { "db.client.connection.pool.name": "main" }, minuteUnix, value: shape.poolWaitMs(END - bucket) / 1000, last: null });
    }
  }
  // The worker's consumer p99 per minute: 1.5× the service time, ±10 % noise.
  const consumerP99Ms = [];
  for (let minuteUnix = END - (END % 60) - 40 * 60; minuteUnix <= END; minuteUnix += 60) {
    consumerP99Ms.push({ service: "worker", minuteUnix, p99Ms: 1.5 * (shape.at(END - minuteUnix - 30).serviceMs ?? 280) * (1 + (random() - 0.5) * 0.2) });
  }
  return { now: NOW, lagSeconds: 10, flows, metrics: [...metrics.values()], consumerP99Ms, attemptSamples: {}, exampleJobIds: { jobs: ["job-1"] }, thresholds };
}

const steady: Shape = { at: () => ({ arrivals: 20, completions: 20 }) };

describe("detectSystem", () => {
  it.each([1, 2, 3, 4, 5])("finds nothing in noisy steady load (seed %i)", (seed) => {
    expect(detectSystem(snapshot(steady, seed))).toEqual([]);
  });

  it("flags the queue within a minute of completions falling behind arrivals, with charts at real times", () => {
    const found = detectSystem(snapshot({ at: (ago) => (ago <= 50 ? { arrivals: 20, completions: 8, serviceMs: 700 } : { arrivals: 20, completions: 20 }) }));
    const signal = found.find((f) => f.candidate.kind === "saturation");
    expect(signal?.candidate.resource).toBe("queue jobs");
    expect(signal?.services).toEqual(["worker", "api"]);
    const arrivals = signal?.charts.find((c) => c.name === "jobs arrivals/min");
    expect(arrivals?.points.at(-1)?.at).toBe(new Date(END * 1000).toISOString());
    expect(signal?.candidate.evidence.exampleJobIds).toEqual(["job-1"]);
  });

  it("flags the latency knee: consumer p99 tripling for three minutes while throughput stays flat", () => {
    const found = detectSystem(snapshot({ at: (ago) => (ago <= 200 ? { arrivals: 20, completions: 20, serviceMs: 900 } : { arrivals: 20, completions: 20 }) }));
    const signal = found.find((f) => f.candidate.kind === "saturation");
    expect(signal?.candidate.reasonCodes).toContain("latency_knee");
    expect(signal?.candidate.evidence.figures.p99RiseRatio).toBeGreaterThan(1.5);
    expect(signal?.charts.map((c) => c.name)).toContain("jobs consumer p99 ms");
  });

  it("flags capacity falling towards arrivals as the workers slow down, before any backlog", () => {
    // 10 jobs/s on 8 slots at 280 ms (35 % busy); the newest 20 s at 420 ms, then 800 ms: capacity 10/s, arrivals 10/s.
    const slow = (ms: number) => ({ arrivals: 10, completions: 10, serviceMs: ms });
    const found = detectSystem(snapshot({ at: (ago) => (ago <= 10 ? slow(800) : ago <= 20 ? slow(420) : slow(280)) }));
    const signal = found.find((f) => f.candidate.kind === "saturation");
    expect(signal?.candidate.reasonCodes).toEqual(["capacity_falling"]);
    expect(signal?.candidate.summary).toMatch(/service time 800 ms \(was 2\d\d ms\): capacity 10\/s (below|barely above) arrivals (9\.\d|10)\/s/);
    // Sized at 800 ms, not the window's mean: 10 jobs/s × 0.8 s = 8 busy slots, 10 at 80 % utilisation.
    const { workers, workersNeeded, capacityPerS, recentServiceTimeMs } = signal?.candidate.evidence.figures ?? {};
    const slotsPerWorker = ((capacityPerS as number) * (recentServiceTimeMs as number)) / 1000 / (workers as number);
    expect((workersNeeded as number) * slotsPerWorker).toBeGreaterThanOrEqual(10);
    expect(signal?.candidate.summary).toMatch(/\d+ more workers? would/);
  });

  it("flags capacity heading below arrivals while the service time keeps climbing", () => {
    // Capacity is still 1.3× arrivals, but at +10 ms per second the service time reaches the break-even 800 ms in ~20 s.
    const slow = (ms: number) => ({ arrivals: 10, completions: 10, serviceMs: ms });
    const found = detectSystem(snapshot({ at: (ago) => (ago <= 10 ? slow(600) : ago <= 20 ? slow(500) : ago <= 30 ? slow(400) : slow(280)) }));
    const signal = found.find((f) => f.candidate.kind === "saturation");
    expect(signal?.candidate.reasonCodes).toEqual(["capacity_falling"]);
    expect(signal?.candidate.summary).toMatch(/capacity 13\/s above arrivals (9\.\d|10)\/s, below them in ~\d+ s at this rate/);
  });

  it("does not flag slower workers that still have ample capacity, nor a slow drift", () => {
    const slow = (ms: number) => ({ arrivals: 10, completions: 10, serviceMs: ms });
    expect(detectSystem(snapshot({ at: (ago) => (ago <= 30 ? slow(450) : slow(280)) }))).toEqual([]);
    expect(detectSystem(snapshot({ at: (ago) => (ago <= 10 ? slow(440) : ago <= 20 ? slow(430) : ago <= 30 ? slow(420) : slow(280)) }))).toEqual([]);
  });

  it("names the retrying caller and the failing dependency in a retry storm", () => {
    const found = detectSystem(snapshot({ at: (ago) => (ago <= 70 ? { arrivals: 20, completions: 40, callsPerJob: 1, errorRatio: 0.5, retryShare: 0.5 } : { arrivals: 20, completions: 20 }) }));
    const storm = found.find((f) => f.candidate.kind === "retry_storm");
    expect(storm?.candidate.resource).toBe("worker->feature-store");
    expect(storm?.services).toEqual(["worker", "feature-store"]);
  });

  it("flags a connection pool whose callers wait, and not one that recovered", () => {
    const waiting = detectSystem(snapshot({ ...steady, poolWaitMs: (ago) => (ago <= 130 ? 900 : 2) }));
    expect(waiting.map((f) => f.candidate.resource)).toEqual(["db pool api/main"]);
    const recovered = detectSystem(snapshot({ ...steady, poolWaitMs: (ago) => (ago > 60 && ago <= 240 ? 900 : 2) }));
    expect(recovered).toEqual([]);
  });

  describe("cache stampedes", () => {
    const healthy = { lookups: 30, hitRatio: 0.8 };
    it.each([1, 2, 3])("finds nothing while a busy cache keeps hitting (seed %i)", (seed) => {
      expect(detectSystem(snapshot({ ...steady, cache: () => healthy }, seed))).toEqual([]);
    });

    it("flags a flush within one flow bucket of the hit ratio collapsing, from traced lookups", () => {
      const found = detectSystem(snapshot({ ...steady, cache: (ago) => (ago <= 10 ? { lookups: 30, hitRatio: 0.5 } : healthy) }));
      const signal = found.find((f) => f.candidate.kind === "cache_stampede");
      expect(signal?.candidate.resource).toBe("cache of api");
      expect(signal?.candidate.evidence.figures.newestWindowSeconds).toBe(10);
      expect(signal?.candidate.reasonCodes).toEqual(["hit_ratio_drop", "backend_surge"]);
      expect(signal?.charts.map((c) => c.name)).toEqual(["cache of api hit ratio", "cache of api lookups/min", "api published/min"]);
      expect(signal?.charts[0]?.points.at(-1)).toEqual({ at: new Date(END * 1000).toISOString(), value: expect.closeTo(0.5, 1) });
    });

    it("does not flag a cache that recovered a minute ago, nor one warming up", () => {
      expect(detectSystem(snapshot({ ...steady, cache: (ago) => (ago > 60 && ago <= 120 ? { lookups: 30, hitRatio: 0.3 } : healthy) }))).toEqual([]);
      expect(detectSystem(snapshot({ ...steady, cache: (ago) => ({ lookups: 30, hitRatio: Math.max(0, 0.8 - ago / 3000) }) }))).toEqual([]);
    });

    it("falls back to lookup counters by result when the lookups are not traced", () => {
      const found = detectSystem(snapshot({ ...steady, cacheAsMetrics: true, cache: (ago) => (ago <= 120 ? { lookups: 30, hitRatio: 0.3 } : healthy) }));
      expect(found.map((f) => [f.candidate.kind, f.candidate.resource])).toContainEqual(["cache_stampede", "cache of api"]);
    });
  });

  it("judges nothing without history", () => {
    expect(detectSystem({ ...snapshot(steady), flows: [], metrics: [] })).toEqual([]);
  });
});
