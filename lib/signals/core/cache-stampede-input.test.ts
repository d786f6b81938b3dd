import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { cacheStampedeInputs } from "./cache-stampede-input";
import type { MetricMinute } from "./system-snapshot";
import { ThresholdConfigSchema } from "./thresholds";
import { HISTORY_MINUTES, indexWindows } from "./window-index";

const MINUTE = 1_800_000_000;
const END = MINUTE + 30;
const thresholds = ThresholdConfigSchema.parse({});
const iso = (unixS: number) => new Date(unixS * 1000).toISOString();

function flow(o: Partial<FlowRollup> & { secondsBeforeEnd: number }): FlowRollup {
  const { secondsBeforeEnd, ...rest } = o;
  return { bucket: END - secondsBeforeEnd, flow: "lookup", service: "api", target: "redis", count: 1, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, ...rest };
}
const lookups = (minuteUnix: number, result: "hit" | "miss", value: number): MetricMinute => ({
  name: "sample.cache.requests", service: "api", attributes: { "sample.cache.result": result }, minuteUnix, value, last: null,
});

describe("cacheStampedeInputs", () => {
  it("from traced lookups: one 10-s window per bucket of the history, gaps before the first flow of any kind", () => {
    const flows = [
      flow({ secondsBeforeEnd: 30, flow: "consume", service: "worker", target: "jobs" }), // the first data: from here on, quiet buckets are zeros
      flow({ secondsBeforeEnd: 10, count: 20, missCount: 5 }),
      flow({ secondsBeforeEnd: 10, flow: "publish", target: "jobs", count: 5 }),
    ];
    const [built, ...more] = cacheStampedeInputs(indexWindows({ endUnix: END, flows, metrics: [] }), { thresholds });
    expect(more).toEqual([]);
    const input = built?.input;
    expect(input?.resource).toBe("cache of api");
    expect(input?.hasBackend).toBe(true);
    expect(input?.windows).toHaveLength(HISTORY_MINUTES * 6);
    expect(input?.windows.slice(-4)).toEqual([
      { endUnix: END - 30, seconds: 10, lookups: null, hits: null, backendLoad: null },
      { endUnix: END - 20, seconds: 10, lookups: 0, hits: 0, backendLoad: 0 },
      { endUnix: END - 10, seconds: 10, lookups: 0, hits: 0, backendLoad: 0 },
      { endUnix: END, seconds: 10, lookups: 20, hits: 15, backendLoad: 5 },
    ]);
    expect(built?.services).toEqual(["api"]);
    // Charts at the windows' own resolution over the last 15 minutes: 90 buckets.
    expect(built?.charts.map((c) => c.name)).toEqual(["cache of api hit ratio", "cache of api lookups/min", "api published/min"]);
    expect(built?.charts[0]?.points).toHaveLength(90);
    expect(built?.charts[0]?.points.at(-1)).toEqual({ at: iso(END), value: 0.75 });
    expect(built?.charts[1]?.points.at(-1)).toEqual({ at: iso(END), value: 120 }); // 20 in 10 s
  });

  it("from lookup counters by result when the lookups are not traced: calendar minutes, the newest cut at the end", () => {
    const metrics = [lookups(MINUTE, "hit", 6), lookups(MINUTE, "miss", 4), lookups(MINUTE - 60, "hit", 30)];
    const [built] = cacheStampedeInputs(indexWindows({ endUnix: END, flows: [], metrics }), { thresholds });
    expect(built?.input.hasBackend).toBe(false);
    expect(built?.input.windows.slice(-3)).toEqual([
      { endUnix: MINUTE - 60, seconds: 60, lookups: null, hits: null, backendLoad: null },
      { endUnix: MINUTE, seconds: 60, lookups: 30, hits: 30, backendLoad: null },
      { endUnix: END, seconds: 30, lookups: 10, hits: 6, backendLoad: null },
    ]);
    expect(built?.charts.map((c) => c.name)).toEqual(["cache of api hit ratio", "cache of api lookups/min"]);
  });

  it("builds nothing for a system without cache lookups", () => {
    const flows = [flow({ secondsBeforeEnd: 10, flow: "call", target: "feature-store" })];
    expect(cacheStampedeInputs(indexWindows({ endUnix: END, flows, metrics: [] }), { thresholds })).toEqual([]);
  });
});
