// A known stream of SLI events (uneven traffic, two incidents, two replicas) as Tailguard minute rollups and as
// OpenMetrics counter samples of tailguard_slo_events_total, so Prometheus and Tailguard can be fed the same events.
import type { MinuteRollup } from "../../lib/slo/core/series";

export type EventStream = { rollups: MinuteRollup[]; openMetrics: string; firstMinute: number; minutes: number };

const SAMPLES_PER_MINUTE = 4;
const INSTANCES = [
  { instance: "tailguard-a:3000", share: 0.6 },
  { instance: "tailguard-b:3000", share: 0.4 },
];

/** Error ratio by minute index: a 3 % incident, a 20 % burst, a day-long 0.4 % slow burn, and a 0.05 % background. */
function errorRatioAt(i: number): number {
  if (i >= 200 && i < 260) return 0.03;
  if (i >= 380 && i < 400) return 0.2;
  if (i >= 2000 && i < 3440) return 0.004;
  return 0.0005;
}

/** Deterministic noise in [0, 1) (a small LCG), so the stream is the same on every run. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Counter samples every 15 s: the sample at time s counts every event before s, so a range [t − w, t] at minute
 * boundaries covers exactly the minutes Tailguard sums for a window ending just before t.
 */
export function buildEventStream(options: { firstMinute: number; minutes: number; slo: string; service: string }): EventStream {
  const { firstMinute, minutes, slo, service } = options;
  const rand = noise(42);
  const rollups: MinuteRollup[] = [];
  const series = INSTANCES.flatMap(({ instance }) => (["good", "bad"] as const).map((outcome) => ({ instance, outcome, value: 0, lines: [] as string[] })));
  const sample = (atS: number) => {
    for (const s of series) s.lines.push(`tailguard_slo_events_total{job="tailguard",instance="${s.instance}",slo="${slo}",service="${service}",outcome="${s.outcome}"} ${s.value} ${atS}`);
  };
  for (let i = 0; i < minutes; i++) {
    const minuteStartS = (firstMinute + i) * 60;
    const trafficPerQuarter = Math.round(150 + 100 * Math.sin(i / 40) + 40 * rand());
    let good = 0;
    let total = 0;
    for (let q = 0; q < SAMPLES_PER_MINUTE; q++) {
      sample(minuteStartS + q * 15);
      for (const { instance, share } of INSTANCES) {
        const events = Math.round(trafficPerQuarter * share);
        // Dithering: floor(x + U[0,1)) has mean x, so the background stays at its ratio.
        const bad = Math.min(events, Math.floor(events * errorRatioAt(i) + rand()));
        series.find((s) => s.instance === instance && s.outcome === "good")!.value += events - bad;
        series.find((s) => s.instance === instance && s.outcome === "bad")!.value += bad;
        good += events - bad;
        total += events;
      }
    }
    rollups.push({ minuteUnix: minuteStartS, good, total });
  }
  sample((firstMinute + minutes) * 60);
  const openMetrics = ["# HELP tailguard_slo_events SLI events by outcome", "# TYPE tailguard_slo_events counter", ...series.flatMap((s) => s.lines), "# EOF", ""].join("\n");
  return { rollups, openMetrics, firstMinute, minutes };
}
