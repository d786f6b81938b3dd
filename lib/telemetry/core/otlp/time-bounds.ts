// Plausibility bounds for OTLP timestamps, so a clock at 1970 or in the next year cannot poison rollups.

/** 2000-01-01T00:00:00Z in Unix nanoseconds. */
export const EARLIEST_PLAUSIBLE_UNIX_NANO = 946_684_800_000_000_000n;
/** How far ahead of the receiver's clock a sender's clock may run. */
export const DEFAULT_MAX_FUTURE_SKEW_NS = 86_400_000_000_000n;

export interface TimeBounds {
  nowUnixNano: bigint;
  maxFutureSkewNs?: bigint;
}

/** Null when `timeUnixNano` is plausible, else the problem in words. */
export function timestampProblem(timeUnixNano: bigint, bounds: TimeBounds): string | null {
  if (timeUnixNano < EARLIEST_PLAUSIBLE_UNIX_NANO) return `${timeUnixNano} is before 2000-01-01`;
  const latest = bounds.nowUnixNano + (bounds.maxFutureSkewNs ?? DEFAULT_MAX_FUTURE_SKEW_NS);
  if (timeUnixNano > latest) return `${timeUnixNano} is more than ${(bounds.maxFutureSkewNs ?? DEFAULT_MAX_FUTURE_SKEW_NS) / 1_000_000_000n} s in the future`;
  return null;
}
