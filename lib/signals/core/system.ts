// One detection pass over a whole system: indexes 10-second flow rollups and per-minute metrics into
// sliding windows, builds each detector's inputs from them, and runs every detector on every queue,
// pool, cache and caller → dependency.
import { detectCacheStampede } from "./cache-stampede";
import { cacheStampedeInputs } from "./cache-stampede-input";
import { detectPoolSaturation } from "./pool";
import { poolInputs } from "./pool-input";
import { detectRetryStorm } from "./retry-storm";
import { retryStormInputs } from "./retry-storm-input";
import { detectSaturation } from "./saturation";
import { saturationInputs } from "./saturation-input";
import type { SystemSnapshot } from "./system-snapshot";
import type { Chart, DetectorInput, SignalCandidate } from "./types";
import { evaluationEnd, indexWindows } from "./window-index";

// The pass's callers (the engine, the snapshot reader) know it by these.
export { evaluationEnd };
export type { MetricMinute, SystemSnapshot } from "./system-snapshot";

export interface DetectedSignal {
  candidate: SignalCandidate;
  /** Services the signal affects (for scoping gates, webhooks and links); the first is the one to act (consumer, pool owner, caller), whose thresholds judge it. */
  services: string[];
  /** The evidence series over the evaluated windows, with real times. */
  charts: Chart[];
}

export function detectSystem(s: SystemSnapshot): DetectedSignal[] {
  const index = indexWindows({ endUnix: evaluationEnd(s.now, s.lagSeconds), flows: s.flows, metrics: s.metrics });
  const run = <I>(built: DetectorInput<I>[], detect: (input: I) => SignalCandidate | null): DetectedSignal[] =>
    built.flatMap(({ input, services, charts }) => {
      const candidate = detect(input);
      return candidate === null ? [] : [{ candidate, services, charts: chartsNamed(candidate.evidence.series, charts) }];
    });
  return [
    // The summary names the queue; the resource says what kind of thing it is, beside pools and dependencies.
    ...run(saturationInputs(index, s), (input) => {
      const found = detectSaturation(input);
      return found && { ...found, resource: `queue ${input.queue}` };
    }),
    ...run(poolInputs(index, s), detectPoolSaturation),
    ...run(cacheStampedeInputs(index, s), detectCacheStampede),
    ...run(retryStormInputs(index, s), detectRetryStorm),
  ];
}

/** The charts the evidence names, in its order. */
function chartsNamed(names: readonly string[], charts: readonly Chart[]): Chart[] {
  return names.flatMap((name) => {
    const found = charts.find((c) => c.name === name);
    return found ? [found] : [];
  });
}
