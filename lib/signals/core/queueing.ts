// Queueing arithmetic for saturation: Little's law wait, time to breach a completion SLO, workers needed.

/**
 * Little's law (L = λW) read for a FIFO queue: the wait of a job joining now is the backlog ahead of it
 * divided by the rate the queue drains, W = L / μ. Null when nothing completes (the wait is unbounded).
 */
export function littlesLawWaitS(options: { backlog: number; completionRatePerS: number }): number | null {
  const { backlog, completionRatePerS } = options;
  if (backlog <= 0) return 0;
  return completionRatePerS > 0 ? backlog / completionRatePerS : null;
}

/**
 * Seconds until a newly queued job would miss the completion SLO threshold.
 * A job completes after W + S (queue wait plus service time), so the SLO breaks once the backlog reaches
 * L* = μ · (T − S); with the backlog growing at g per second that is (L* − L) / g seconds away.
 * 0 when already at or past L*, null when the backlog is not growing (no breach ahead at this trend).
 */
export function timeToBreachS(options: {
  backlog: number;
  backlogGrowthPerS: number;
  completionRatePerS: number;
  serviceTimeMs: number;
  sloThresholdMs: number;
}): number | null {
  const { backlog, backlogGrowthPerS, completionRatePerS, serviceTimeMs, sloThresholdMs } = options;
  const breachBacklog = (completionRatePerS * Math.max(0, sloThresholdMs - serviceTimeMs)) / 1000;
  if (backlog >= breachBacklog) return 0;
  if (backlogGrowthPerS <= 0) return null;
  return (breachBacklog - backlog) / backlogGrowthPerS;
}

/**
 * Workers needed to keep up with arrivals and drain the backlog within `drainMinutes`.
 * One worker completes c = slotsPerWorker · 1000 / serviceTimeMs jobs per second.
 * Draining B jobs in D minutes while λ keeps arriving needs (λ + B / (60·D)) / c workers running flat out;
 * afterwards steady state needs λ / (c · targetUtilisation) to keep headroom. The answer is the larger, rounded up.
 * Null when the service time or slots are unknown or not positive.
 */
export function recommendCapacity(options: {
  arrivalRatePerS: number;
  serviceTimeMs: number;
  slotsPerWorker: number;
  backlog: number;
  drainMinutes: number;
  targetUtilisation: number;
}): number | null {
  const { arrivalRatePerS, serviceTimeMs, slotsPerWorker, backlog, drainMinutes, targetUtilisation } = options;
  if (!(serviceTimeMs > 0) || !(slotsPerWorker > 0) || !(drainMinutes > 0) || !(targetUtilisation > 0)) return null;
  const perWorkerRatePerS = (slotsPerWorker * 1000) / serviceTimeMs;
  const drainWorkers = (Math.max(0, arrivalRatePerS) + Math.max(0, backlog) / (60 * drainMinutes)) / perWorkerRatePerS;
  const steadyWorkers = Math.max(0, arrivalRatePerS) / (perWorkerRatePerS * targetUtilisation);
  // Round off float noise first so 18.000000000004 workers is 18, not 19.
  return Math.max(1, Math.ceil(Number(Math.max(drainWorkers, steadyWorkers).toFixed(9))));
}
