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
  /** Whether the original load is jobs (attempts per job) or served requests (attempts per call); jobs when absent. */
  basis?: "job" | "request";
  /** First attempts (jobs or requests) per minute: the load the users asked for. */
  originalRequests: NamedSeries;
  /** Calls to the dependency per minute, every attempt included. */
  downstreamRequests: NamedSeries;
  /** Errors ÷ total at the caller, 0..1. */
  callerErrorRatio: NamedSeries;
  /** Successful completions per minute. */
  successfulThroughput: NamedSeries;
  /** Mean attempts per finished job (per call to the dependency when the basis is requests). */
  attemptsPerJob?: NamedSeries;
  /**
   * First-attempt calls to the dependency per original request. When given, amplification is judged per first
   * call, so a caller that always makes three calls per request is not amplifying; the lower of the recent and
   * baseline means is used, so retries that carry no retry attribute still show against the baseline.
   */
  firstCallsPerRequest?: NamedSeries;
  /**
   * The typical gap (geometric mean, ms) between a failed call and its retry under the same parent, per minute, and
   * how many gaps it stands for: backoff for callers without job IDs. Used when there are no attempt samples.
   */
  retryGapMs?: NamedSeries;
  measuredRetryGaps?: NamedSeries;
  retries?: NamedSeries;
  retryDelayMsP50?: NamedSeries;
  retryDelayMsMin?: NamedSeries;
  dlqDepth?: NamedSeries;
  /** Recent attempts of individual jobs; preferred over the delay series when present. */
  attemptSamples?: AttemptSample[];
  /**
   * The same counts over the newest few seconds (30 s of flow buckets): a storm shows there first. `attempts` ÷
   * `firstAttempts` is the newest attempts per job (consumed jobs ÷ first attempts) or per call (calls ÷ first calls).
   */
  newest?: { seconds: number; originalRequests: number; downstreamRequests: number; attempts: number; firstAttempts: number };
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
  const fanOut = firstCallsPerRequest(meanOf(recent(input.firstCallsPerRequest)), meanOf(baseline(input.firstCallsPerRequest)));
  const amplification = downstream / original / (fanOut ?? 1);
  const latestOriginal = latestValue(recent(input.originalRequests));
  const latestDownstream = latestValue(recent(input.downstreamRequests));
  const latestAmplification = latestOriginal && latestDownstream !== null ? latestDownstream / latestOriginal / (fanOut ?? 1) : null;
  const latestAttempts = latestValue(recent(input.attemptsPerJob));
  const attempts = meanOf(recent(input.attemptsPerJob));
  const attemptsBase = meanOf(baseline(input.attemptsPerJob));
  const samples = input.attemptSamples?.length ? retryIntervalStats(input.attemptSamples, { backoffGrowthRatio: t.backoffGrowthRatio }) : null;
  const fromSamples = samples !== null && samples.retries >= 3;
  const medianDelayMs = fromSamples ? samples.medianDelayMs : meanOf(recent(input.retryDelayMsP50));
  const minDelayMs = fromSamples ? samples.minDelayMs : meanOf(recent(input.retryDelayMsMin));
  const growingShare = samples !== null && samples.delayPairs >= 3 ? samples.backoffGrowingShare : null;
  const gapMs = fromSamples ? null : typicalGapMs(recent(input.retryGapMs), recent(input.measuredRetryGaps));
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
  const nowAmplification = fast ? fast.downstreamRequests / fast.originalRequests / (fanOut ?? 1) : latestAmplification ?? amplification;
  const settledAmplification = fast ? latestAmplification ?? amplification : amplification;
  const nowAttempts = fast && fast.firstAttempts > 0 ? fast.attempts / fast.firstAttempts : latestAttempts ?? attempts;
  const settledAttempts = fast ? latestAttempts ?? attempts : attempts;
  const attemptsRising =
    attempts !== null && nowAttempts !== null && settledAttempts !== null &&
    nowAttempts >= t.minAttemptsPerJob && settledAttempts >= halfway(t.minAttemptsPerJob) &&
    (attemptsBase === null || settledAttempts >= attemptsBase * (1 + t.attemptsRiseRatio));
  const amplified = nowAmplification >= t.minAmplification && settledAmplification >= halfway(t.minAmplification);
  const noBackoff =
    (medianDelayMs !== null && medianDelayMs < t.noBackoffMedianDelayMs) || (growingShare !== null && growingShare < t.minBackoffGrowingShare) ||
    (gapMs !== null && gapMs < t.noBackoffMedianDelayMs);
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
    ["no_backoff", noBackoff, [input.retryDelayMsP50, input.retryDelayMsMin, ...(gapMs !== null ? [input.retryGapMs] : [])]],
    ["paradox", paradox, [input.callerErrorRatio, input.downstreamRequests, input.successfulThroughput]],
    ["dlq_growth", dlqGrowth, [input.dlqDepth]],
    ["retries_crowd_out", crowdingOut && !paradox, [input.callerErrorRatio, input.successfulThroughput, input.attemptsPerJob]],
  ];
  const found = codes.filter(([, hit]) => hit);
  const perS = (v: number | null) => (v === null ? null : v / 60);
  const figures: RetryStormFigures = {
    amplification, originalRequestsPerS: original / 60, downstreamRequestsPerS: downstream / 60, firstCallsPerRequest: fanOut,
    attemptsPerJob: attempts, attemptsPerJobBaseline: attemptsBase, retriesPerS: perS(retries),
    medianRetryDelayMs: medianDelayMs, minRetryDelayMs: minDelayMs, backoffGrowingShare: growingShare, typicalRetryGapMs: gapMs,
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
    summary: retryStormSummary({ caller: input.caller, dependency: input.dependency, basis: input.basis ?? "job", reasonCodes, figures }),
    reasonCodes,
    evidence: { series: [...new Set(series.map((s) => s.name))], figures: { ...figures }, exampleJobIds: samples?.exampleJobIds ?? [] },
  };
}

/** The usual first calls per request: the lower of the recent and baseline means; null (no fan-out correction) without either or at 0. */
function firstCallsPerRequest(recent: number | null, baseline: number | null): number | null {
  const known = [recent, baseline].filter((v): v is number => v !== null && v > 0);
  return known.length === 0 ? null : Math.min(...known);
}

/** The geometric mean of the recent windows' gaps weighted by how many each stands for; null under 3 gaps. */
function typicalGapMs(gapMs: readonly { value: number | null }[], counts: readonly { value: number | null }[]): number | null {
  let n = 0;
  let logSum = 0;
  gapMs.forEach((g, i) => {
    const c = counts[i]?.value ?? null;
    if (g.value === null || c === null || c <= 0) return;
    n += c;
    logSum += c * Math.log1p(g.value);
  });
  return n >= 3 ? Math.expm1(logSum / n) : null;
}
