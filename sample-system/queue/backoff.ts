// Retry schedules for failed job attempts: exponential backoff with "equal jitter", and the
// aggressive no-backoff policy the flaky-downstream scenario uses to provoke a retry storm.
export type RetryPolicy = {
  /** Attempts in total, the first included: 4 means one try and three retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0 = no jitter; 1 = half of each delay is random (equal jitter). */
  jitterRatio: number;
};

export const NORMAL_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, jitterRatio: 1 };
/** Retries at once and many times: what a retry storm looks like in production. */
export const AGGRESSIVE_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 50, jitterRatio: 0 };

/** Ceiling delay before attempt `nextAttempt` (2 = first retry), before jitter. */
export function backoffCeilingMs(policy: RetryPolicy, nextAttempt: number): number {
  const exponent = Math.max(0, nextAttempt - 2);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

// Equal jitter keeps at least half of the ceiling: retries still spread out, and per-attempt
// delay queues (RabbitMQ expires only at the head) see a bounded spread within one queue.
export function backoffDelayMs(policy: RetryPolicy, nextAttempt: number, random01: number): number {
  const ceilingMs = backoffCeilingMs(policy, nextAttempt);
  const randomShare = (ceilingMs / 2) * policy.jitterRatio;
  return Math.round(ceilingMs - randomShare + randomShare * random01);
}

export type RetryDecision = { action: "retry"; nextAttempt: number; delayMs: number } | { action: "dead-letter"; reason: string };

/** What to do after attempt `attempt` failed. */
export function decideRetry(options: { policy: RetryPolicy; attempt: number; permanent: boolean; random01: number }): RetryDecision {
  const { policy, attempt, permanent, random01 } = options;
  if (permanent) return { action: "dead-letter", reason: "permanent failure" };
  if (attempt >= policy.maxAttempts) return { action: "dead-letter", reason: `gave up after ${attempt} attempts` };
  return { action: "retry", nextAttempt: attempt + 1, delayMs: backoffDelayMs(policy, attempt + 1, random01) };
}
