// What a retry-storm evaluation measured, and the one-line summary of a signal: who retries what, how hard, and what shows it.
import { formatCount, formatMs, formatPercent, formatRate } from "./format";

/** The figures one evaluation measured; null where the data had gaps. */
export type RetryStormFigures = Record<
  | "amplification" | "originalRequestsPerS" | "downstreamRequestsPerS" | "firstCallsPerRequest" | "attemptsPerJob" | "attemptsPerJobBaseline"
  | "retriesPerS" | "medianRetryDelayMs" | "minRetryDelayMs" | "backoffGrowingShare" | "typicalRetryGapMs" | "errorRatio" | "errorRatioBaseline"
  | "successPerS" | "successPerSBaseline" | "dlqDepth" | "dlqGrowthPerMinute",
  number | null
>;

/** e.g. "retry storm: `worker` retrying `inference` with no backoff (median retry delay 0 ms): 4.2× amplification (downstream 420/s for 100/s original), 3.8 attempts per job, error rate 62% (was 1%), DLQ +120/min" */
export function retryStormSummary(options: { caller: string; dependency: string; basis?: "job" | "request"; reasonCodes: string[]; figures: RetryStormFigures }): string {
  const { caller, dependency, reasonCodes, figures: f } = options;
  const perRequest = options.basis === "request";
  const has = (code: string) => reasonCodes.includes(code);
  let head = `retry storm: \`${caller}\` retrying \`${dependency}\``;
  if (has("no_backoff")) {
    const details: string[] = [];
    if (f.medianRetryDelayMs !== null) details.push(`median retry delay ${formatMs(f.medianRetryDelayMs)}`);
    if (f.backoffGrowingShare !== null) details.push(`${formatPercent(f.backoffGrowingShare)} of delays growing`);
    if (f.typicalRetryGapMs !== null) details.push(`retried ${formatMs(f.typicalRetryGapMs)} after a failed call`);
    head += details.length ? ` with no backoff (${details.join(", ")})` : " with no backoff";
  }
  const parts: string[] = [];
  if (f.amplification !== null && f.downstreamRequestsPerS !== null && f.originalRequestsPerS !== null) {
    const fanOut = f.firstCallsPerRequest !== null ? ` at ${Number(f.firstCallsPerRequest.toFixed(1))} first calls per request` : "";
    parts.push(`${Number(f.amplification.toFixed(1))}× amplification (downstream ${formatRate(f.downstreamRequestsPerS)}/s for ${formatRate(f.originalRequestsPerS)}/s original${fanOut})`);
  }
  if (f.attemptsPerJob !== null) parts.push(`${Number(f.attemptsPerJob.toFixed(1))} attempts per ${perRequest ? "call" : "job"}`);
  if (f.errorRatio !== null) {
    const was = f.errorRatioBaseline !== null && (has("paradox") || has("retries_crowd_out")) ? ` (was ${formatPercent(f.errorRatioBaseline)})` : "";
    parts.push(`error rate ${formatPercent(f.errorRatio)}${was}`);
  }
  if (has("paradox")) parts.push("downstream load rising while successes stay flat");
  if (has("retries_crowd_out")) parts.push("retries take the workers' capacity while successes do not rise");
  if (has("dlq_growth") && f.dlqGrowthPerMinute !== null) parts.push(`DLQ +${formatCount(f.dlqGrowthPerMinute)}/min`);
  return `${head}: ${parts.join(", ")}`;
}
