import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { estimateSlots, newestServiceTimesMs, saturationInputs } from "./saturation-input";
import type { MetricMinute } from "./system-snapshot";
import { ThresholdConfigSchema } from "./thresholds";
import { indexWindows } from "./window-index";

const MINUTE = 1_800_000_000;
const END = MINUTE + 30; // window 0 = the 60 s before END
const thresholds = ThresholdConfigSchema.parse({ services: { worker: { saturation: { minBacklog: 7 } } } });

function flow(o: Partial<FlowRollup> & { secondsBeforeEnd: number }): FlowRollup {
  const { secondsBeforeEnd, ...rest } = o;
  return { bucket: END - secondsBeforeEnd, flow: "publish", service: "api", target: "jobs", count: 1, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, ...rest };
}
const metric = (o: Partial<MetricMinute>): MetricMinute => ({ name: "hw.gpu.utilization", service: "worker", attributes: {}, minuteUnix: MINUTE, value: 0, last: null, ...o });

// Two windows of a queue `jobs`: api publishes, worker consumes at 200 ms a job, GPU 50 % busy.
// Window 0: 30 in, 20 out (4 s busy); window 1: 20 in, 20 out (4 s busy).
const flows = [
  flow({ secondsBeforeEnd: 10, count: 30 }),
  flow({ secondsBeforeEnd: 70, count: 20 }),
  flow({ secondsBeforeEnd: 30, flow: "consume", service: "worker", count: 10, durationSumNs: 2e9 }),
  flow({ secondsBeforeEnd: 20, flow: "consume", service: "worker", count: 5, durationSumNs: 1e9 }),
  flow({ secondsBeforeEnd: 10, flow: "consume", service: "worker", count: 5, durationSumNs: 1e9 }),
  flow({ secondsBeforeEnd: 70, flow: "consume", service: "worker", count: 20, durationSumNs: 4e9 }),
  // Nobody consumes the dead-letter queue: no input for it.
  flow({ secondsBeforeEnd: 10, target: "jobs.dlq", count: 2 }),
];
const metrics = [
  metric({ minuteUnix: MINUTE, value: 0.5 }),
  metric({ minuteUnix: MINUTE, value: 0.5, attributes: { "hw.id": "gpu1" } }),
  metric({ name: "sample.queue.depth", attributes: { "messaging.destination.name": "jobs" }, minuteUnix: MINUTE, value: 8, last: 10 }),
];

describe("saturationInputs", () => {
  const index = indexWindows({ endUnix: END, flows, metrics });
  const built = saturationInputs(index, { thresholds, exampleJobIds: { jobs: ["job-1"] }, sloThresholdMsByQueue: { jobs: 60_000 } });

  it("builds one input per consumed queue, consumers first among its services", () => {
    expect(built.map((b) => b.input.queue)).toEqual(["jobs"]);
    expect(built[0]?.services).toEqual(["worker", "api"]);
  });

  it("takes arrivals, completions and service time from the flows, depth and workers from the metrics", () => {
    const input = built[0]?.input;
    const newest = (s: { points: { value: number | null }[] } | undefined) => s?.points.slice(-3).map((p) => p.value);
    expect(newest(input?.arrivals)).toEqual([null, 20, 30]);
    expect(newest(input?.completions)).toEqual([null, 20, 20]);
    expect(newest(input?.serviceTimeMs)).toEqual([null, 200, 200]); // 4e9 ns over 20 jobs
    expect(newest(input?.backlog)).toEqual([null, null, 10]); // a gauge's last value
    expect(newest(input?.workers)).toEqual([null, null, 2]); // two GPUs report
    expect(newest(input?.utilisation)).toEqual([null, null, 0.5]);
    // 4 s busy in 60 s is 1/15 of a slot busy, at 50 % utilisation 2/15 slots: rounds to 1 per worker.
    expect(input?.slots).toBeCloseTo(2 / 15);
    expect(input?.slotsPerWorker).toBe(1);
    expect(input?.latencyP99).toBeUndefined();
    expect(input?.recentServiceTimesMs).toEqual([200, 200, 200]);
    expect(input).toMatchObject({ sloThresholdMs: 60_000, exampleJobIds: ["job-1"], now: new Date(MINUTE * 1000) });
  });

  it("judges a queue by its first consumer's thresholds", () => {
    expect(built[0]?.input.thresholds.minBacklog).toBe(7);
  });

  it("offers a chart for every series, each at its window's real end", () => {
    const charts = built[0]?.charts ?? [];
    expect(charts.map((c) => c.name)).toEqual(["jobs consumer p99 ms", "jobs arrivals/min", "jobs completions/min", "jobs depth", "jobs service time ms", "jobs workers", "jobs utilisation"]);
    expect(charts[1]?.points.at(-1)).toEqual({ at: new Date(END * 1000).toISOString(), value: 30 });
  });

  it("passes the slowest consumer's p99 per minute for the latency knee", () => {
    const consumerP99Ms = [
      { service: "worker", minuteUnix: MINUTE, p99Ms: 300 },
      { service: "worker-b", minuteUnix: MINUTE, p99Ms: 900 }, // consumes nothing here
      { service: "worker", minuteUnix: MINUTE - 60, p99Ms: 250 },
    ];
    const [first] = saturationInputs(index, { thresholds, exampleJobIds: {}, consumerP99Ms });
    expect(first?.input.latencyP99?.points.slice(-2).map((p) => p.value)).toEqual([250, 300]);
  });
});

describe("estimateSlots", () => {
  it.each([
    { note: "30 s busy per minute at 50 % utilisation: 1 slot", busyNs: [30e9], utilisation: [0.5], want: 1 },
    { note: "the median over windows: 1, 2 and 9 slots → 2", busyNs: [60e9, 60e9, 540e9], utilisation: [1, 0.5, 1], want: 2 },
    { note: "utilisation of 5 % or less and gaps say nothing", busyNs: [60e9, null, 60e9], utilisation: [0.05, 0.5, null], want: null },
  ])("$note", ({ busyNs, utilisation, want }) => {
    expect(estimateSlots(busyNs, utilisation)).toBe(want);
  });
});

describe("newestServiceTimesMs", () => {
  it("is the mean service time in each of the newest three buckets, oldest first; a bucket with no completions is a gap", () => {
    const index = indexWindows({
      endUnix: END,
      flows: [
        flow({ secondsBeforeEnd: 30, flow: "consume", service: "worker", count: 2, durationSumNs: 4e8 }),
        flow({ secondsBeforeEnd: 10, flow: "consume", service: "worker", count: 4, durationSumNs: 2e9 }),
        flow({ secondsBeforeEnd: 10, flow: "consume", service: "other", target: "other", count: 1, durationSumNs: 9e9 }),
      ],
      metrics: [],
    });
    expect(newestServiceTimesMs(index, "jobs")).toEqual([200, null, 500]);
  });
});
