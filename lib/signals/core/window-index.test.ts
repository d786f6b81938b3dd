import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import type { MetricMinute } from "./system-snapshot";
import { evaluationEnd, HISTORY_MINUTES, indexWindows } from "./window-index";

// 30 s into a calendar minute: window 0 is [END − 60, END), i.e. 11:59:30–12:00:30, not a calendar minute.
const MINUTE = 1_800_000_000; // 12:00:00, a whole minute
const END = MINUTE + 30;
const iso = (unixS: number) => new Date(unixS * 1000).toISOString();

function flow(o: Partial<FlowRollup> & { secondsBeforeEnd: number }): FlowRollup {
  const { secondsBeforeEnd, ...rest } = o;
  return { bucket: END - secondsBeforeEnd, flow: "publish", service: "api", target: "jobs", count: 1, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, ...rest };
}
const gauge = (minuteUnix: number, value: number): MetricMinute => ({ name: "sample.queue.depth", service: "worker", attributes: {}, minuteUnix, value, last: null });
const nulls = (n: number) => new Array<null>(n).fill(null);

describe("indexWindows", () => {
  it("evaluationEnd: 10 s of lag before 12:00:45 ends on the bucket boundary 12:00:30", () => {
    expect(evaluationEnd(new Date((END + 15) * 1000), 10)).toBe(END);
  });

  it.each([
    { bucketSecondsBeforeEnd: 10, window: 0 },
    { bucketSecondsBeforeEnd: 60, window: 0 },
    { bucketSecondsBeforeEnd: 70, window: 1 },
    { bucketSecondsBeforeEnd: 0, window: -1 }, // the bucket starting at the end is still filling
    { bucketSecondsBeforeEnd: HISTORY_MINUTES * 60 + 10, window: HISTORY_MINUTES },
  ])("a bucket starting $bucketSecondsBeforeEnd s before the end falls in window $window", ({ bucketSecondsBeforeEnd, window }) => {
    expect(indexWindows({ endUnix: END, flows: [], metrics: [] }).windowOf(END - bucketSecondsBeforeEnd)).toBe(window);
  });

  it("gives the detectors a calendar whose newest whole minute is window 0", () => {
    const index = indexWindows({ endUnix: END, flows: [], metrics: [] });
    // Detectors judge the minute before `now`: 11:59, labelled for window 0.
    expect(index.detectorNow).toEqual(new Date(MINUTE * 1000));
    const series = index.toSeries("depth", [7, 5, ...nulls(HISTORY_MINUTES - 2)]);
    expect(series.points).toHaveLength(HISTORY_MINUTES);
    expect(series.points.slice(-2)).toEqual([{ minuteUnix: MINUTE - 120, value: 5 }, { minuteUnix: MINUTE - 60, value: 7 }]);
    // Charts show the real end of each window.
    expect(index.toChart(series).points.slice(-2)).toEqual([{ at: iso(END - 60), value: 5 }, { at: iso(END), value: 7 }]);
  });

  it("sums flows per window; windows older than the oldest flow are gaps, and flows at or after the end do not count", () => {
    const index = indexWindows({
      endUnix: END,
      flows: [
        flow({ secondsBeforeEnd: 10, count: 5 }),
        flow({ secondsBeforeEnd: 20, count: 3 }),
        flow({ secondsBeforeEnd: 70, count: 7 }),
        flow({ secondsBeforeEnd: 0, count: 100 }),
        flow({ secondsBeforeEnd: 10, flow: "consume", service: "worker", count: 2, errorCount: 1, retryCount: 1, durationSumNs: 4e8 }),
      ],
      metrics: [],
    });
    expect(index.flowKeys).toEqual([{ flow: "publish", service: "api", target: "jobs" }, { flow: "consume", service: "worker", target: "jobs" }]);
    expect(index.flowSums((k) => k.flow === "publish", "count")).toEqual([8, 7, ...nulls(HISTORY_MINUTES - 2)]);
    // The worker consumed nothing in window 1, which is history (a zero), not a gap.
    expect(index.flowSums((k) => k.flow === "consume", "durationNs").slice(0, 3)).toEqual([4e8, 0, null]);
    expect(index.flowSums((k) => k.flow === "consume", "retries").slice(0, 2)).toEqual([1, 0]);
    expect(index.flowSums(() => false, "count").slice(0, 3)).toEqual([0, 0, null]);
    // Buckets starting in [END − 20, END): the 3 and the 5; the 100 starts at END.
    expect(index.bucketSum(END - 20, END, (f) => f.flow === "publish", (f) => f.count)).toBe(8);
  });

  it("a flow older than the history makes every window present without counting in any", () => {
    const index = indexWindows({ endUnix: END, flows: [flow({ secondsBeforeEnd: 60 * 60, count: 9 })], metrics: [] });
    expect(index.flowKeys).toEqual([]);
    expect(index.flowSums(() => true, "count")).toEqual(new Array(HISTORY_MINUTES).fill(0));
  });

  it("gives each window the calendar minute holding its last second", () => {
    // Window 0 ends at 12:00:29 (minute 12:00), window 1 at 11:59:29 (minute 11:59); 12:01 is after the end.
    const index = indexWindows({ endUnix: END, flows: [], metrics: [gauge(MINUTE, 40), gauge(MINUTE, 2), gauge(MINUTE - 60, 30), gauge(MINUTE + 60, 99)] });
    const sum = (ms: MetricMinute[]) => ms.reduce((n, m) => n + m.value, 0);
    expect(index.metricValues(() => true, sum).slice(0, 3)).toEqual([42, 30, null]);
    expect(index.metricValues((m) => m.value > 35, (ms) => ms.length).slice(0, 2)).toEqual([1, null]);
    expect(index.minuteValues([{ minuteUnix: MINUTE - 120, p99Ms: 250 }], (xs) => xs[0]?.p99Ms ?? null).slice(0, 3)).toEqual([null, null, 250]);
  });
});
