// When to retry a webhook delivery and how long to wait: classification of an attempt's outcome,
// exponential backoff with full jitter, and Retry-After (seconds or HTTP-date) for 429 and 503.

export type AttemptOutcome =
  | { kind: "response"; statusCode: number; retryAfter?: string | null }
  | { kind: "timeout" }
  | { kind: "network"; message: string }
  /** The URL guard refused the destination: retrying cannot help until an administrator changes something. */
  | { kind: "refused"; message: string };

export type AttemptClass = "delivered" | "retry" | "give_up";

export function classifyAttempt(outcome: AttemptOutcome): AttemptClass {
  switch (outcome.kind) {
    case "timeout":
    case "network":
      return "retry";
    case "refused":
      return "give_up";
    case "response": {
      const s = outcome.statusCode;
      if (s >= 200 && s < 300) return "delivered";
      if (s === 429 || s >= 500) return "retry";
      // Other 4xx (and 1xx/3xx: redirects are not followed) mean the receiver rejected this message.
      return "give_up";
    }
  }
}

export type BackoffSettings = { baseMs: number; capMs: number; minMs?: number };
export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 30_000, capMs: 3_600_000, minMs: 1_000 };

/**
 * Full jitter (AWS architecture blog): a uniform delay in [0, min(cap, base·2^(attempt−1))), so
 * many receivers recovering at once are not hit in lockstep. `attempt` counts from 1.
 */
export function backoffDelayMs(options: { attempt: number; random: () => number; settings?: BackoffSettings }): number {
  const s = options.settings ?? DEFAULT_BACKOFF;
  const ceiling = Math.min(s.capMs, s.baseMs * 2 ** Math.max(0, options.attempt - 1));
  return Math.max(s.minMs ?? 0, Math.floor(options.random() * ceiling));
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export type NextStep =
  | { status: "delivered" }
  | { status: "pending"; nextAttemptAt: Date; delayMs: number }
  | { status: "dead"; reason: string };

/** What happens to a delivery after attempt number `attempt` (1-based) ended with `outcome`. */
export function nextStep(options: { outcome: AttemptOutcome; attempt: number; maxAttempts: number; now: Date; random: () => number; settings?: BackoffSettings }): NextStep {
  const { outcome, attempt, maxAttempts, now } = options;
  const cls = classifyAttempt(outcome);
  if (cls === "delivered") return { status: "delivered" };
  if (cls === "give_up") return { status: "dead", reason: `${describeOutcome(outcome)}: not retried` };
  if (attempt >= maxAttempts) return { status: "dead", reason: `${describeOutcome(outcome)}: gave up after ${attempt} attempts` };
  const settings = options.settings ?? DEFAULT_BACKOFF;
  const honoured = outcome.kind === "response" && (outcome.statusCode === 429 || outcome.statusCode === 503) ? retryAfterMs(outcome.retryAfter, now) : null;
  const delayMs = honoured === null ? backoffDelayMs({ attempt, random: options.random, settings }) : Math.min(settings.capMs, Math.max(honoured, settings.minMs ?? 0));
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + delayMs), delayMs };
}

export function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case "response":
      return `HTTP ${outcome.statusCode}`;
    case "timeout":
      return "timed out";
    case "network":
      return `network error: ${outcome.message}`;
    case "refused":
      return `refused: ${outcome.message}`;
  }
}
