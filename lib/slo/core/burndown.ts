/** The instants of an SLO's burndown chart and the ideal line through them: budget spent evenly over the window. */
import type { WindowBounds } from "./budget";

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

export type BurndownInstant = {
  /** Unix milliseconds of the point. */
  atMs: number;
  /** The Unix hour whose events the point stands for (clipped to the window), or null for the closing point at the window's end. */
  hour: number | null;
  /** Budget left if it were spent evenly: 1 at the window start, 0 at its end, straight in between. */
  idealRemainingRatio: number;
};

/**
 * The window start, every hour boundary inside the elapsed window, and the elapsed window's end (the end of the
 * minute containing now). A partial first or last hour is a shorter step, so the ideal line is exact at every point:
 * a rolling window runs from exactly 1 to exactly 0; a calendar month ends where the month has got to.
 */
export function burndownInstants(bounds: WindowBounds): BurndownInstant[] {
  const startMs = bounds.firstMinute * MS_PER_MINUTE;
  const endMs = (bounds.lastMinute + 1) * MS_PER_MINUTE;
  const windowMs = bounds.windowMinutes * MS_PER_MINUTE;
  const ideal = (atMs: number) => 1 - (atMs - startMs) / windowMs;
  const points: BurndownInstant[] = [];
  for (let atMs = startMs; atMs < endMs; atMs = (Math.floor(atMs / MS_PER_HOUR) + 1) * MS_PER_HOUR) {
    points.push({ atMs, hour: Math.floor(atMs / MS_PER_HOUR), idealRemainingRatio: ideal(atMs) });
  }
  points.push({ atMs: endMs, hour: null, idealRemainingRatio: ideal(endMs) });
  return points;
}
