// The retry-storm detector's input for each caller → dependency whose calls fail more than before. A caller
// that consumes a queue is judged per job: its consumed jobs are the original load, job attempts the retries.
// A caller that only serves requests (SERVER spans, no job IDs) is judged per request: its served requests
// are the original load, and the retries are the calls resent to the dependency (HTTP resend count, gRPC
// previous attempts).
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

/** Per job when the caller consumes a queue, else per request it serves. */
export type RetryStormBasis = "job" | "request";

/** One input per caller → dependency pair worth judging, ordered by "caller>dependency". */
export function retryStormInputs(index: WindowIndex, options: Pick<SystemSnapshot, "thresholds" | "attemptSamples">): DetectorInput<RetryStormInput>[] {
  const calls = index.flowKeys.filter((k) => k.flow === "call").sort((a, b) => `${a.service}>${a.target}`.localeCompare(`${b.service}>${b.target}`));
  // A caller's basis is the same for each of its dependencies: sum its entry flows once.
  const basisByCaller = new Map<string, RetryStormBasis | null>();
  const basisOf = (caller: string) => {
    const known = basisByCaller.get(caller);
    if (known !== undefined) return known;
    const basis = retryStormBasis(index, caller);
    basisByCaller.set(caller, basis);
    return basis;
  };
  return calls.flatMap(({ service: caller, target: dependency }) => {
    const basis = basisOf(caller);
    if (basis === null) return [];
    const built = pairInput(index, { caller, dependency, basis, thresholds: thresholdsForService(options.thresholds, caller).retryStorm, attemptSamples: options.attemptSamples });
    return built === null ? [] : [built];
  });
}

/** Whether the caller's calls to this dependency fail more in the recent windows than in the baseline before them. */
export function callErrorsRose(callErrorRatio: WindowValues, t: RetryStormThresholds): boolean {
  const recent = meanOfWindows(callErrorRatio, 0, t.windowMinutes);
  const baseline = meanOfWindows(callErrorRatio, t.windowMinutes, t.windowMinutes + t.baselineMinutes) ?? 0;
  return recent !== null && recent - baseline >= t.errorRiseAbsolute;
}

/** The caller's entry flows the storm is judged against: consumed jobs if it consumes any, else served requests; null with neither. */
export function retryStormBasis(index: WindowIndex, caller: string): RetryStormBasis | null {
  const any = (flow: FlowKey["flow"]) => index.flowSums((k) => k.flow === flow && k.service === caller, "count").some((v) => v !== null && v > 0);
  return any("consume") ? "job" : any("serve") ? "request" : null;
}

function pairInput(
  index: WindowIndex,
  options: { caller: string; dependency: string; basis: RetryStormBasis; thresholds: RetryStormThresholds; attemptSamples: SystemSnapshot["attemptSamples"] },
): DetectorInput<RetryStormInput> | null {
  const { caller, dependency, basis, thresholds } = options;
  const entries = (k: FlowKey) => k.flow === (basis === "job" ? "consume" : "serve") && k.service === caller;
  const callsDependency = (k: FlowKey) => k.flow === "call" && k.service === caller && k.target === dependency;
  // The failing dependency is one whose calls fail more than before; the caller's other
  // dependencies see the retried load too, but they are not what the retries are about.
  const calls = index.flowSums(callsDependency, "count");
  const callErrorRatio = divideWindows(index.flowSums(callsDependency, "errors"), calls);
  if (!callErrorsRose(callErrorRatio, thresholds)) return null;

  const requests = index.flowSums(entries, "count");
  const errors = index.flowSums(entries, "errors");
  const entryRetries = index.flowSums(entries, "retries");
  const original = subtractWindows(requests, entryRetries);
  const callRetries = index.flowSums(callsDependency, "retries");
  const firstCalls = subtractWindows(calls, callRetries);
  const measuredGaps = index.flowSums(callsDependency, "retryGaps");
  const gapMs = divideWindows(index.flowSums(callsDependency, "retryGapLogMs"), measuredGaps).map((v) => (v === null ? null : Math.expm1(v)));
  // Dead-lettered messages stay: their running total is the DLQ's depth added in the window.
  const dlqDepth = runningTotalFromOldest(index.flowSums((k) => k.flow === "publish" && k.service === caller && DEAD_LETTER.test(k.target), "count"));
  const perJob = basis === "job";
  const pair = `${caller} → ${dependency}`;
  const series = {
    original: index.toSeries(`${caller} original ${perJob ? "jobs" : "requests"}/min`, original),
    downstream: index.toSeries(`${pair} calls/min`, calls),
    errorRatio: index.toSeries(`${caller} error ratio`, divideWindows(errors, requests)),
    successes: index.toSeries(`${caller} successes/min`, subtractWindows(requests, errors)),
    attempts: perJob ? index.toSeries(`${caller} attempts per job`, divideWindows(requests, original)) : index.toSeries(`${pair} attempts per call`, divideWindows(calls, firstCalls)),
    retries: perJob ? index.toSeries(`${caller} retries/min`, entryRetries) : index.toSeries(`${pair} retries/min`, callRetries),
    dlqDepth: index.toSeries(`${caller} dead-lettered (cumulative)`, dlqDepth),
    callErrorRatio: index.toSeries(`${pair} error ratio`, callErrorRatio),
    ...(perJob ? {} : { fanOut: index.toSeries(`${pair} first calls per request`, divideWindows(firstCalls, original)) }),
    ...(gapMs.some((v) => v !== null) ? { gapMs: index.toSeries(`${pair} typical retry gap ms`, gapMs), measuredGaps: index.toSeries(`${pair} measured retry gaps/min`, measuredGaps) } : {}),
  };
  return {
    input: {
      caller, dependency, basis,
      originalRequests: series.original, downstreamRequests: series.downstream, callerErrorRatio: series.errorRatio, successfulThroughput: series.successes,
      attemptsPerJob: series.attempts, retries: series.retries, dlqDepth: dlqDepth.some(Boolean) ? series.dlqDepth : undefined,
      ...(series.fanOut ? { firstCallsPerRequest: series.fanOut } : {}),
      ...(series.gapMs && series.measuredGaps ? { retryGapMs: series.gapMs, measuredRetryGaps: series.measuredGaps } : {}),
      attemptSamples: options.attemptSamples[caller],
      newest: newestFlowSums(index, { caller, dependency, basis }),
      now: index.detectorNow, thresholds,
    },
    services: [...new Set([caller, dependency])],
    charts: Object.values(series).map(index.toChart),
  };
}

/**
 * The newest 30 s: the caller's original load, its calls to the dependency, and the attempts behind the
 * attempts-per-job (or per-call) figure: consumed jobs and first attempts, or calls and first calls.
 */
export function newestFlowSums(index: WindowIndex, options: { caller: string; dependency: string; basis: RetryStormBasis }): NonNullable<RetryStormInput["newest"]> {
  const { caller, dependency, basis } = options;
  const from = index.endUnix - NEWEST_SECONDS;
  const sum = (match: (f: FlowRollup) => boolean, pick: (f: FlowRollup) => number) => index.bucketSum(from, index.endUnix, match, pick);
  const entries = (f: FlowRollup) => f.flow === (basis === "job" ? "consume" : "serve") && f.service === caller;
  const calls = (f: FlowRollup) => f.flow === "call" && f.service === caller && f.target === dependency;
  const originalRequests = sum(entries, (f) => f.count - f.retryCount);
  const downstreamRequests = sum(calls, (f) => f.count);
  return basis === "job"
    ? { seconds: NEWEST_SECONDS, originalRequests, downstreamRequests, attempts: sum(entries, (f) => f.count), firstAttempts: originalRequests }
    : { seconds: NEWEST_SECONDS, originalRequests, downstreamRequests, attempts: downstreamRequests, firstAttempts: sum(calls, (f) => f.count - f.retryCount) };
}
