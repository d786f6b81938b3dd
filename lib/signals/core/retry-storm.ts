// Retry-storm detector for one caller → dependency pair: amplification, attempts per job, retries without backoff, the error/load paradox, DLQ growth.
import { type AttemptSample, retryIntervalStats } from "./retry-intervals";
import { type RetryStormFigures, retryStormSummary } from "./retry-storm-summary";
import { latestValue, meanOf, minuteOf, presentValues, slopePerMinute, windowEndingAt } from "./series";
import type { RetryStormThresholds } from "./thresholds";
import type { NamedSeries, SignalCandidate } from "./types";

export interface RetryStormInput {
  /** The service that retries. */
  caller: string;
  /** What it calls and sees failing: a service, queue or database. */
  dependency: string;
  /** First attempts (jobs or requests) per minute: the load the users asked for. */
  originalRequests: NamedSeries;
  /** Calls to the dependency per minute, every attempt included. */
  downstreamRequests: NamedSeries;
  /** Errors ÷ total at the caller, 0..1. */
  callerErrorRatio: NamedSeries;
  /** Successful completions per minute. */
  successfulThroughput: NamedSeries;
  /** Mean attempts per finished job. */
  attemptsPerJob?: NamedSeries;
  retries?: NamedSeries;
  retryDelayMsP50?: NamedSeries;
  retryDelayMsMin?: NamedSeries;
  dlqDepth?: NamedSeries;
  /** Recent attempts of individual jobs; preferred over the delay series when present. */
  attemptSamples?: AttemptSample[];
  /** The same counts over the newest few seconds (30 s of flow buckets): a storm shows there first. */
  newest?: { seconds: number; originalRequests: number; downstreamRequests: number; consumed: number };
  now: Date;
  thresholds: RetryStormThresholds;
}

/** Evaluates the minutes that ended before `now` against the baseline just before them; null when no storm or too little data. */
export function detectRetryStorm(input: RetryStormInput): SignalCandidate | null {
  const t = input.thresholds;
  const end = minuteOf(input.now) - 60;
  const recent = (s: NamedSeries | undefined) => (s ? windowEndingAt(s.points, end, t.windowMinutes) : []);
  const baseline = (s: NamedSeries | undefined) => (s ? windowEndingAt(s.points, end - t.windowMinutes * 60, t.baselineMinutes) : []);
  const enough = (s: NamedSeries) => presentValues(recent(s)).length >= t.minPresentMinutes;
  if (!enough(input.originalRequests) || !enough(input.downstreamRequests)) return null;

  const original = meanOf(recent(input.originalRequests));
  const downstream = meanOf(recent(input.downstreamRequests));
  if (original === null || downstream === null || original < t.minOriginalRequestsPerMinute) return null;
  const amplification = downstream / original;
  const latestOriginal = latestValue(recent(input.originalRequests));
  const latestDownstream = latestValue(recent(input.downstreamRequests));
  const latestAmplification = latestOriginal && latestDownstream !== null ? latestDownstream / latestOriginal : null;
  const latestAttempts = latestValue(recent(input.attemptsPerJob));
  const attempts = meanOf(recent(input.attemptsPerJob));
  const attemptsBase = meanOf(baseline(input.attemptsPerJob));
  const samples = input.attemptSamples?.length ? retryIntervalStats(input.attemptSamples, { backoffGrowthRatio: t.backoffGrowthRatio }) : null;
  const fromSamples = samples !== null && samples.retries >= 3;
  const medianDelayMs = fromSamples ? samples.medianDelayMs : meanOf(recent(input.retryDelayMsP50));
  const minDelayMs = fromSamples ? samples.minDelayMs : meanOf(recent(input.retryDelayMsMin));
  const growingShare = samples !== null && samples.delayPairs >= 3 ? samples.backoffGrowingShare : null;
  const errorRatio = meanOf(recent(input.callerErrorRatio));
  const errorBase = meanOf(baseline(input.callerErrorRatio));
  const downstreamBase = meanOf(baseline(input.downstreamRequests));
  const success = meanOf(recent(input.successfulThroughput));
  const successBase = meanOf(baseline(input.successfulThroughput));
  const dlqW = recent(input.dlqDepth);
  const dlqGrowthPerMinute = presentValues(dlqW).length >= t.minPresentMinutes ? slopePerMinute(dlqW) : null;
  const retries = meanOf(recent(input.retries));

  // The window mean says how big, the newest minute says whether it is still going on: a burst that
  // already stopped leaves the mean high for a few minutes but is not a storm.
  // The newest minute must be over the limit (the storm is on now); the window mean at least halfway
  // there, so a storm is seen in its first minute while a single odd minute is not. With enough load in
  // the newest seconds, those must be over the limit and the newest minute halfway: seen sooner, still
  // never from one odd stretch.
  const halfway = (limit: number) => 1 + (limit - 1) / 2;
  const fast = input.newest && input.newest.originalRequests > 0 && (input.newest.originalRequests * 60) / input.newest.seconds >= t.minOriginalRequestsPerMinute ? input.newest : null;
  const nowAmplification = fast ? fast.downstreamRequests / fast.originalRequests : latestAmplification ?? amplification;
  const settledAmplification = fast ? latestAmplification ?? amplification : amplification;
  const nowAttempts = fast ? fast.consumed / fast.originalRequests : latestAttempts ?? attempts;
  const settledAttempts = fast ? latestAttempts ?? attempts : attempts;
  const attemptsRising =
    attempts !== null && nowAttempts !== null && settledAttempts !== null &&
    nowAttempts >= t.minAttemptsPerJob && settledAttempts >= halfway(t.minAttemptsPerJob) &&
    (attemptsBase === null || settledAttempts >= attemptsBase * (1 + t.attemptsRiseRatio));
  const amplified = nowAmplification >= t.minAmplification && settledAmplification >= halfway(t.minAmplification);
  const noBackoff = (medianDelayMs !== null && medianDelayMs < t.noBackoffMedianDelayMs) || (growingShare !== null && growingShare < t.minBackoffGrowingShare);
  const paradox =
    errorRatio !== null && errorBase !== null && downstreamBase !== null && success !== null && successBase !== null &&
    errorRatio - errorBase >= t.errorRiseAbsolute &&
    downstream >= downstreamBase * (1 + t.downstreamRiseRatio) &&
    success <= successBase * (1 + t.successFlatRatio);
  const dlqGrowth = dlqGrowthPerMinute !== null && dlqGrowthPerMinute >= t.minDlqGrowthPerMinute && dlqGrowthPerMinute > 0;
  // The paradox of a capacity-bound caller: its workers cannot send more load downstream, so retries
  // crowd out new jobs instead; errors rise, attempts per job rise, and successes do not.
  const crowdingOut =
    attemptsRising && errorRatio !== null && errorBase !== null && success !== null && successBase !== null &&
    errorRatio - errorBase >= t.errorRiseAbsolute && success <= successBase * (1 + t.successFlatRatio);
  // Retries are normal; a storm is retry load that is both large and harmful or careless.
  if (!(amplified || attemptsRising) || !(noBackoff || paradox || dlqGrowth || crowdingOut)) return null;

  const codes: [string, boolean, (NamedSeries | undefined)[]][] = [
    ["amplification", amplified, [input.originalRequests, input.downstreamRequests]],
    ["attempts_rising", attemptsRising, [input.attemptsPerJob, input.retries]],
    ["no_backoff", noBackoff, [input.retryDelayMsP50, input.retryDelayMsMin]],
    ["paradox", paradox, [input.callerErrorRatio, input.downstreamRequests, input.successfulThroughput]],
    ["dlq_growth", dlqGrowth, [input.dlqDepth]],
    ["retries_crowd_out", crowdingOut && !paradox, [input.callerErrorRatio, input.successfulThroughput, input.attemptsPerJob]],
  ];
  const found = codes.filter(([, hit]) => hit);
  const perS = (v: number | null) => (v === null ? null : v / 60);
  const figures: RetryStormFigures = {
    amplification, originalRequestsPerS: original / 60, downstreamRequestsPerS: downstream / 60,
    attemptsPerJob: attempts, attemptsPerJobBaseline: attemptsBase, retriesPerS: perS(retries),
    medianRetryDelayMs: medianDelayMs, minRetryDelayMs: minDelayMs, backoffGrowingShare: growingShare,
    errorRatio, errorRatioBaseline: errorBase, successPerS: perS(success), successPerSBaseline: perS(successBase),
    dlqDepth: latestValue(dlqW), dlqGrowthPerMinute,
  };
  const critical = (noBackoff || paradox) && (amplification >= t.criticalAmplification || (noBackoff && paradox));
  const reasonCodes = found.map(([code]) => code);
  const series = found.flatMap(([, , s]) => s).filter((s): s is NamedSeries => s !== undefined);
  return {
    kind: "retry_storm",
    resource: `${input.caller}->${input.dependency}`,
    severity: critical ? "critical" : "warning",
    summary: retryStormSummary({ caller: input.caller, dependency: input.dependency, reasonCodes, figures }),
    reasonCodes,
    evidence: { series: [...new Set(series.map((s) => s.name))], figures: { ...figures }, exampleJobIds: samples?.exampleJobIds ?? [] },
  };
}
