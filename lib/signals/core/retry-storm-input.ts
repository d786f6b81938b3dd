// The retry-storm detector's input for each caller → dependency whose calls fail more than before: the
// caller's consumed jobs are the original load, its calls to the dependency the load it sends on.
import type { FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import type { RetryStormInput } from "./retry-storm";
import type { SystemSnapshot } from "./system-snapshot";
import { type RetryStormThresholds, thresholdsForService } from "./thresholds";
import type { DetectorInput } from "./types";
import type { FlowKey, WindowIndex } from "./window-index";
import { divideWindows, meanOfWindows, runningTotalFromOldest, subtractWindows, type WindowValues } from "./window-values";

/** The newest stretch the detector judges on its own, so a storm shows within seconds. */
const NEWEST_SECONDS = 30;
const DEAD_LETTER = /dlq|dead/i;

/** One input per caller → dependency pair worth judging, ordered by "caller>dependency". */
export function retryStormInputs(index: WindowIndex, options: Pick<SystemSnapshot, "thresholds" | "attemptSamples">): DetectorInput<RetryStormInput>[] {
  const calls = index.flowKeys.filter((k) => k.flow === "call").sort((a, b) => `${a.service}>${a.target}`.localeCompare(`${b.service}>${b.target}`));
  return calls.flatMap(({ service: caller, target: dependency }) => {
    const built = pairInput(index, { caller, dependency, thresholds: thresholdsForService(options.thresholds, caller).retryStorm, attemptSamples: options.attemptSamples });
    return built === null ? [] : [built];
  });
}

/** Whether the caller's calls to this dependency fail more in the recent windows than in the baseline before them. */
export function callErrorsRose(callErrorRatio: WindowValues, t: RetryStormThresholds): boolean {
  const recent = meanOfWindows(callErrorRatio, 0, t.windowMinutes);
  const baseline = meanOfWindows(callErrorRatio, t.windowMinutes, t.windowMinutes + t.baselineMinutes) ?? 0;
  return recent !== null && recent - baseline >= t.errorRiseAbsolute;
}

function pairInput(
  index: WindowIndex,
  options: { caller: string; dependency: string; thresholds: RetryStormThresholds; attemptSamples: SystemSnapshot["attemptSamples"] },
): DetectorInput<RetryStormInput> | null {
  const { caller, dependency, thresholds } = options;
  const consumes = (k: FlowKey) => k.flow === "consume" && k.service === caller;
  const callsDependency = (k: FlowKey) => k.flow === "call" && k.service === caller && k.target === dependency;
  const consumed = index.flowSums(consumes, "count");
  if (consumed.every((v) => v === null || v === 0)) return null;
  // The failing dependency is one whose calls fail more than before; the caller's other
  // dependencies see the retried load too, but they are not what the retries are about.
  const callErrorRatio = divideWindows(index.flowSums(callsDependency, "errors"), index.flowSums(callsDependency, "count"));
  if (!callErrorsRose(callErrorRatio, thresholds)) return null;

  const errors = index.flowSums(consumes, "errors");
  const retries = index.flowSums(consumes, "retries");
  const original = subtractWindows(consumed, retries);
  // Dead-lettered messages stay: their running total is the DLQ's depth added in the window.
  const dlqDepth = runningTotalFromOldest(index.flowSums((k) => k.flow === "publish" && k.service === caller && DEAD_LETTER.test(k.target), "count"));
  const series = {
    original: index.toSeries(`${caller} original jobs/min`, original),
    downstream: index.toSeries(`${caller} → ${dependency} calls/min`, index.flowSums(callsDependency, "count")),
    errorRatio: index.toSeries(`${caller} error ratio`, divideWindows(errors, consumed)),
    successes: index.toSeries(`${caller} successes/min`, subtractWindows(consumed, errors)),
    attempts: index.toSeries(`${caller} attempts per job`, divideWindows(consumed, original)),
    retries: index.toSeries(`${caller} retries/min`, retries),
    dlqDepth: index.toSeries(`${caller} dead-lettered (cumulative)`, dlqDepth),
    callErrorRatio: index.toSeries(`${caller} → ${dependency} error ratio`, callErrorRatio),
  };
  return {
    input: {
      caller, dependency,
      originalRequests: series.original, downstreamRequests: series.downstream, callerErrorRatio: series.errorRatio, successfulThroughput: series.successes,
      attemptsPerJob: series.attempts, retries: series.retries, dlqDepth: dlqDepth.some(Boolean) ? series.dlqDepth : undefined,
      attemptSamples: options.attemptSamples[caller],
      newest: newestFlowSums(index, caller, dependency),
      now: index.detectorNow, thresholds,
    },
    services: [...new Set([caller, dependency])],
    charts: Object.values(series).map(index.toChart),
  };
}

/** The newest 30 s of the caller's consumed jobs (all attempts, and first attempts) and of its calls to the dependency. */
export function newestFlowSums(index: WindowIndex, caller: string, dependency: string): NonNullable<RetryStormInput["newest"]> {
  const from = index.endUnix - NEWEST_SECONDS;
  const consumes = (f: FlowRollup) => f.flow === "consume" && f.service === caller;
  return {
    seconds: NEWEST_SECONDS,
    consumed: index.bucketSum(from, index.endUnix, consumes, (f) => f.count),
    originalRequests: index.bucketSum(from, index.endUnix, consumes, (f) => f.count - f.retryCount),
    downstreamRequests: index.bucketSum(from, index.endUnix, (f) => f.flow === "call" && f.service === caller && f.target === dependency, (f) => f.count),
  };
}
