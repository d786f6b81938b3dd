// Number and duration wording for signal summaries and gate reasons, fixed to en-US so output is stable.

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** 85.2 → "85", 4.25 → "4.3", 0.456 → "0.46": enough digits to compare two rates by eye. */
export function formatRate(perS: number): string {
  const abs = Math.abs(perS);
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return Number(perS.toFixed(digits)).toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** 0.623 → "62%", 0.004 → "0.4%", -0.04 → "-4%". */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  const digits = Math.abs(pct) < 1 && pct !== 0 ? 1 : 0;
  return `${Number(pct.toFixed(digits))}%`;
}

/** An SLO threshold as an adjective: 300000 → "5-minute", 30000 → "30-second", 250 → "250-ms". */
export function formatThresholdAdjective(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}-hour`;
  if (ms >= 60_000) return `${Number((ms / 60_000).toFixed(1))}-minute`;
  if (ms >= 1_000) return `${Number((ms / 1_000).toFixed(1))}-second`;
  return `${Math.round(ms)}-ms`;
}

/** A forecast: 370 s → "~6 min", 20 s → "under a minute", 0 → "now". */
export function formatEta(seconds: number): string {
  if (seconds <= 0) return "now";
  if (seconds < 60) return "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `~${minutes} min`;
  return `~${Number((minutes / 60).toFixed(1))} h`;
}

/** A measured duration: 40 → "40 ms", 2500 → "2.5 s", 273900 → "4.6 min". */
export function formatMs(ms: number): string {
  if (Math.abs(ms) < 1_000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}
