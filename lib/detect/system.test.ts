import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../telemetry/flow-rollup";
import { seededRandom } from "../random/seeded";
import { detectSystem, evaluationEnd, type MetricMinute, type SystemSnapshot } from "./system";
import { ThresholdConfigSchema } from "./thresholds";

const NOW = new Date("2026-11-23T12:00:05Z");
const END = evaluationEnd(NOW, 10);
const thresholds = ThresholdConfigSchema.parse({});

type Shape = {
  /** Arrivals/s, completions/s, call amplification, error ratio, retry share at `secondsBeforeEnd`. */
  at: (secondsBeforeEnd: number) => { arrivals: number; completions: number; callsPerJob?: number; errorRatio?: number; retryShare?: number; serviceMs?: number };
  poolWaitMs?: (secondsBeforeEnd: number) => number;
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
    const base = { bucket, errorCount: 0, retryCount: 0, durationSumNs: 0 };
    flows.push({ ...base, flow: "publish", service: "api", target: "jobs", count: arrivals });
    flows.push({ ...base, flow: "consume", service: "worker", target: "jobs", count: completions, errorCount: errors, retryCount: retries, durationSumNs: completions * (f.serviceMs ?? 280) * 1e6 });
    flows.push({ ...base, flow: "call", service: "worker", target: "feature-store", count: Math.round(completions * (f.callsPerJob ?? 1)), errorCount: errors });
    const minuteUnix = bucket - (bucket % 60);
    gauge({ name: "sample.queue.depth", service: "worker", attributes: { "messaging.destination.name": "jobs" }, minuteUnix, value: depth, last: depth });
    gauge({ name: "hw.gpu.utilization", service: "worker", attributes: { "hw.id": "gpu0" }, minuteUnix, value: Math.min(1, (f.arrivals * (f.serviceMs ?? 280)) / 1000 / 8), last: null });
    if (shape.poolWaitMs) {
      gauge({ name: "db.client.connection.wait_time", service: "api", attributes: { "db.client.connection.pool.name": "main" }, minuteUnix, value: shape.poolWaitMs(END - bucket) / 1000, last: null });
    }
  }
  return { now: NOW, lagSeconds: 10, flows, metrics: [...metrics.values()], attemptSamples: {}, exampleJobIds: { jobs: ["job-1"] }, thresholds };
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

  it("judges nothing without history", () => {
    expect(detectSystem({ ...snapshot(steady), flows: [], metrics: [] })).toEqual([]);
  });
});
