// What each detector threshold means, in words an on-call engineer can act on; the console's threshold editor and
// the API docs show these. Typed against the schemas, so a new threshold without an explanation does not compile.
import type { DetectionThresholds, Detector } from "./thresholds";

export type ThresholdMeta = { label: string; unit: string; help: string };

export const DETECTOR_LABELS: Record<Detector, { title: string; help: string }> = {
  saturation: { title: "Saturation", help: "Queues whose arrivals outrun completions, workers or pools running out of capacity, tail latency rising faster than throughput." },
  retryStorm: { title: "Retry storms", help: "Callers whose retries multiply the load on a failing dependency." },
  cacheStampede: { title: "Cache stampedes", help: "A cache's hit ratio collapsing while the work its misses send on surges." },
  hysteresis: { title: "Opening and resolving", help: "How long a verdict must hold before a signal opens or resolves, so one noisy window neither pages nor clears." },
};

export const THRESHOLD_META: { [D in Detector]: Record<keyof DetectionThresholds[D], ThresholdMeta> } = {
  saturation: {
    rateWindowMinutes: { label: "Rate window", unit: "min", help: "Minutes averaged for arrival and completion rates." },
    trendWindowMinutes: { label: "Trend window", unit: "min", help: "Minutes used for the backlog slope, utilisation and pool wait." },
    minPresentMinutes: { label: "Minutes with data", unit: "min", help: "A window with fewer minutes of data than this gets no verdict." },
    arrivalExcessRatio: { label: "Arrival excess", unit: "ratio", help: "Arrivals must exceed completions by this fraction to count as backlog growth (0.05 = 5 %)." },
    minBacklogSlopePerMinute: { label: "Backlog growth", unit: "jobs/min", help: "The backlog must grow at least this fast to count as growing." },
    minBacklog: { label: "Backlog", unit: "jobs", help: "Backlogs smaller than this are never saturation." },
    waitOfSloRatio: { label: "Wait vs SLO", unit: "ratio", help: "A Little's-law wait of at least this fraction of the related latency SLO's threshold is saturation on its own." },
    criticalTimeToBreachMinutes: { label: "Critical time to breach", unit: "min", help: "A growing backlog expected to breach its SLO within this many minutes makes the signal critical." },
    utilisationHighRatio: { label: "High utilisation", unit: "ratio", help: "Worker, GPU or pool utilisation at or above this is high (0.95 = 95 %)." },
    poolWaitHighMs: { label: "High pool wait", unit: "ms", help: "Callers waiting this long for a pooled connection means the pool is exhausted." },
    kneeBaselineMinutes: { label: "Knee baseline", unit: "min", help: "Minutes of p99 latency and throughput that set the baseline for the latency knee." },
    kneeMinP99RiseRatio: { label: "Knee p99 rise", unit: "ratio", help: "p99 must rise by at least this fraction over its baseline for a latency knee." },
    kneeElasticity: { label: "Knee elasticity", unit: "×", help: "… and by at least this many times the relative rise of throughput." },
    minCapacityHeadroom: { label: "Capacity headroom", unit: "×", help: "Capacity at the newest service time within this multiple of arrivals (1.2 = 83 % busy) counts as capacity falling." },
    capacityLookaheadSeconds: { label: "Capacity lookahead", unit: "s", help: "… or capacity, still falling as in the newest buckets, below arrivals within this many seconds." },
    serviceTimeRiseRatio: { label: "Service time rise", unit: "ratio", help: "Capacity falling needs the service time up by at least this fraction over its baseline." },
    drainMinutes: { label: "Drain within", unit: "min", help: "The capacity recommendation sizes workers to drain the backlog within this many minutes." },
    targetUtilisation: { label: "Target utilisation", unit: "ratio", help: "… while keeping workers at most this busy." },
  },
  retryStorm: {
    windowMinutes: { label: "Window", unit: "min", help: "Minutes judged for amplification, attempts and errors." },
    baselineMinutes: { label: "Baseline", unit: "min", help: "Minutes before the window that set the usual error ratio, load and attempts." },
    minPresentMinutes: { label: "Minutes with data", unit: "min", help: "A window with fewer minutes of data than this gets no verdict." },
    minOriginalRequestsPerMinute: { label: "Minimum load", unit: "req/min", help: "Callers sending fewer original requests per minute are too quiet to judge." },
    minAmplification: { label: "Amplification", unit: "×", help: "Downstream requests per original request at or above this are amplified load." },
    criticalAmplification: { label: "Critical amplification", unit: "×", help: "Amplification at or above this, with retries that do not back off or the paradox, is critical." },
    minAttemptsPerJob: { label: "Attempts per job", unit: "attempts", help: "Jobs consumed this many times on average are being retried." },
    attemptsRiseRatio: { label: "Attempts rise", unit: "ratio", help: "… and attempts must be up by this fraction over their baseline." },
    noBackoffMedianDelayMs: { label: "No-backoff delay", unit: "ms", help: "A median retry interval shorter than this means retries do not back off." },
    backoffGrowthRatio: { label: "Backoff growth", unit: "×", help: "A retry interval at least this many times the previous one counts as backing off." },
    minBackoffGrowingShare: { label: "Backing-off share", unit: "ratio", help: "Below this share of growing intervals (over at least 3 pairs), retries count as not backing off." },
    errorRiseAbsolute: { label: "Error rise", unit: "ratio", help: "The caller's error ratio must rise by at least this much (absolute, 0.05 = 5 points) for the paradox." },
    downstreamRiseRatio: { label: "Downstream rise", unit: "ratio", help: "… while downstream requests rise by this fraction …" },
    successFlatRatio: { label: "Success flat", unit: "ratio", help: "… and successes rise by no more than this fraction: more load, no more work done." },
    minDlqGrowthPerMinute: { label: "DLQ growth", unit: "msgs/min", help: "A dead-letter queue growing at least this fast is evidence of harm." },
  },
  cacheStampede: {
    baselineMinutes: { label: "Baseline", unit: "min", help: "Minutes before the newest window that set the usual hit ratio and backend load." },
    minPresentMinutes: { label: "Minutes with data", unit: "min", help: "A baseline with fewer minutes of data than this gets no verdict." },
    minLookups: { label: "Lookups", unit: "lookups", help: "Lookups the newest window must hold (it grows from 10 s up to a minute to find them); fewer is too quiet to judge." },
    minHitRatioDrop: { label: "Hit ratio drop", unit: "ratio", help: "The hit ratio must fall at least this much (absolute, 0.2 = 20 points) below its baseline." },
    minBackendRiseRatio: { label: "Backend rise", unit: "ratio", help: "… and the load the misses send on must rise by this fraction." },
  },
  hysteresis: {
    openAfterPositiveSeconds: { label: "Open after", unit: "s", help: "How long evaluations must stay positive before a signal opens (never fewer than two evaluations)." },
    resolveAfterNegativeSeconds: { label: "Resolve after", unit: "s", help: "How long evaluations must stay negative before an open signal resolves." },
  },
};
