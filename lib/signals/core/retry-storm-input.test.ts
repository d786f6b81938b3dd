import { describe, expect, it } from "vitest";
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { callErrorsRose, newestFlowSums, retryStormInputs } from "./retry-storm-input";
import { DEFAULT_THRESHOLDS, ThresholdConfigSchema } from "./thresholds";
import { indexWindows } from "./window-index";

const MINUTE = 1_800_000_000;
const END = MINUTE + 30;
const thresholds = ThresholdConfigSchema.parse({});

function flow(o: Partial<FlowRollup> & { secondsBeforeEnd: number }): FlowRollup {
  const { secondsBeforeEnd, ...rest } = o;
  return { bucket: END - secondsBeforeEnd, flow: "consume", service: "worker", target: "jobs", count: 1, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, ...rest };
}

// worker consumes `jobs` and calls feature-store and auth. Windows 2–4 are calm; in windows 0–1 half of
// the feature-store calls fail and half of the consumed jobs are retries. auth keeps answering.
const calm = [130, 190, 250].flatMap((secondsBeforeEnd) => [
  flow({ secondsBeforeEnd, count: 10 }),
  flow({ secondsBeforeEnd, flow: "call", target: "feature-store", count: 10 }),
  flow({ secondsBeforeEnd, flow: "call", target: "auth", count: 10 }),
]);
const storm = [10, 70].flatMap((secondsBeforeEnd) => [
  flow({ secondsBeforeEnd, count: 20, errorCount: 8, retryCount: 10 }),
  flow({ secondsBeforeEnd, flow: "call", target: "feature-store", count: 20, errorCount: 10 }),
  flow({ secondsBeforeEnd, flow: "call", target: "auth", count: 20 }),
  flow({ secondsBeforeEnd, flow: "publish", target: "jobs.dlq", count: 2 }),
]);
const index = indexWindows({ endUnix: END, flows: [...calm, ...storm], metrics: [] });
const values = (s: { points: { value: number | null }[] } | undefined, n: number) => s?.points.slice(-n).map((p) => p.value);

describe("retryStormInputs", () => {
  const samples = [{ jobId: "j1", attempt: 1, startedAtMs: 0 }];
  const built = retryStormInputs(index, { thresholds, attemptSamples: { worker: samples } });

  it("judges only the dependency whose calls fail more than before", () => {
    expect(built.map((b) => `${b.input.caller}->${b.input.dependency}`)).toEqual(["worker->feature-store"]);
    expect(built[0]?.services).toEqual(["worker", "feature-store"]);
  });

  it("derives first attempts, attempts per job, successes and the dead-lettered total from the caller's flows (oldest → newest)", () => {
    const input = built[0]?.input;
    expect(values(input?.originalRequests, 5)).toEqual([10, 10, 10, 10, 10]); // 20 consumed − 10 retries
    expect(values(input?.downstreamRequests, 5)).toEqual([10, 10, 10, 20, 20]);
    expect(values(input?.attemptsPerJob, 5)).toEqual([1, 1, 1, 2, 2]);
    expect(values(input?.callerErrorRatio, 5)).toEqual([0, 0, 0, 0.4, 0.4]);
    expect(values(input?.successfulThroughput, 5)).toEqual([10, 10, 10, 12, 12]);
    expect(values(input?.retries, 2)).toEqual([10, 10]);
    expect(values(input?.dlqDepth, 3)).toEqual([0, 2, 4]);
    expect(input?.attemptSamples).toBe(samples);
    expect(input?.now).toEqual(new Date(MINUTE * 1000));
    expect(built[0]?.charts.map((c) => c.name)).toContain("worker → feature-store error ratio");
  });

  it("leaves out the dead-letter series when nothing was dead-lettered, and a caller that consumed nothing", () => {
    const quiet = indexWindows({ endUnix: END, flows: [...calm, ...storm.filter((f) => f.flow !== "publish")], metrics: [] });
    expect(retryStormInputs(quiet, { thresholds, attemptSamples: {} })[0]?.input.dlqDepth).toBeUndefined();
    const callsOnly = indexWindows({ endUnix: END, flows: [...calm, ...storm].filter((f) => f.flow === "call"), metrics: [] });
    expect(retryStormInputs(callsOnly, { thresholds, attemptSamples: {} })).toEqual([]);
  });

  it("sums the newest 30 s for the fast check: only the storm's newest bucket is that recent", () => {
    expect(newestFlowSums(index, { caller: "worker", dependency: "feature-store", basis: "job" })).toEqual({ seconds: 30, attempts: 20, firstAttempts: 10, originalRequests: 10, downstreamRequests: 20 });
  });
});

describe("callErrorsRose", () => {
  const t = DEFAULT_THRESHOLDS.retryStorm; // recent: windows 0–1; baseline: the 30 before; a rise of 0.05 counts
  it.each([
    { note: "0 → 0.5", ratio: [0.5, 0.5, 0, 0], want: true },
    { note: "0.02 → 0.06: a rise under 0.05", ratio: [0.06, 0.06, 0.02, 0.02], want: false },
    { note: "no baseline counts as 0", ratio: [0.1, null], want: true },
    { note: "no recent calls", ratio: [null, null, 0], want: false },
  ])("$note → $want", ({ ratio, want }) => {
    expect(callErrorsRose(ratio, t)).toBe(want);
  });
});
