// Per-job attempt samples to retry delays: how soon a failed attempt is retried and whether the delay grows.
import { quantile } from "./series";

export interface AttemptSample {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  startedAtMs: number;
  /** When known, the delay is measured from the end of the previous attempt, else from its start. */
  endedAtMs?: number;
}

export interface RetryIntervalStats {
  /** Retry delays measured (attempt k+1 start − attempt k end). */
  retries: number;
  minDelayMs: number | null;
  medianDelayMs: number | null;
  /** Share of consecutive delay pairs where the next is ≥ growth × the previous; null with no pairs. */
  backoffGrowingShare: number | null;
  delayPairs: number;
  /** Jobs with the most attempts first, for the evidence list. */
  exampleJobIds: string[];
}

export function retryIntervalStats(samples: AttemptSample[], options: { backoffGrowthRatio: number; maxExamples?: number }): RetryIntervalStats {
  const byJob = new Map<string, AttemptSample[]>();
  for (const s of samples) {
    const list = byJob.get(s.jobId) ?? [];
    list.push(s);
    byJob.set(s.jobId, list);
  }
  const delays: number[] = [];
  let pairs = 0;
  let growing = 0;
  const attemptsByJob: [string, number][] = [];
  for (const [jobId, attempts] of byJob) {
    attempts.sort((a, b) => a.attempt - b.attempt);
    attemptsByJob.push([jobId, attempts.length]);
    const jobDelays: number[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const prev = attempts[i - 1] as AttemptSample;
      const next = attempts[i] as AttemptSample;
      jobDelays.push(Math.max(0, next.startedAtMs - (prev.endedAtMs ?? prev.startedAtMs)));
    }
    delays.push(...jobDelays);
    for (let i = 1; i < jobDelays.length; i++) {
      pairs++;
      const before = jobDelays[i - 1] as number;
      const after = jobDelays[i] as number;
      if (after > 0 && after >= before * options.backoffGrowthRatio) growing++;
    }
  }
  attemptsByJob.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    retries: delays.length,
    minDelayMs: delays.length ? Math.min(...delays) : null,
    medianDelayMs: quantile(delays, 0.5),
    backoffGrowingShare: pairs ? growing / pairs : null,
    delayPairs: pairs,
    exampleJobIds: attemptsByJob
      .filter(([, n]) => n > 1)
      .slice(0, options.maxExamples ?? 5)
      .map(([jobId]) => jobId),
  };
}
