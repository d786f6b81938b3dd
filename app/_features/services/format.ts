// Display helpers for RED figures: rates, error ratios and latencies with sensible precision; "–" for no data.

export function rateLabel(perS: number | null): string {
  if (perS === null) return "–";
  if (perS === 0) return "0/s";
  if (perS >= 10) return `${Math.round(perS)}/s`;
  if (perS >= 0.1) return `${perS.toFixed(2)}/s`;
  // A trickle (one trace in an hour) reads per hour rather than as "0.0/min".
  return perS * 60 >= 0.1 ? `${(perS * 60).toFixed(1)}/min` : `${(perS * 3600).toFixed(1)}/h`;
}

export function errorLabel(ratio: number | null): string {
  if (ratio === null) return "–";
  return `${(ratio * 100).toFixed(ratio >= 0.1 ? 1 : 2)} %`;
}

export function msLabel(ms: number | null): string {
  if (ms === null) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 2)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(2)} ms`;
}

export function nsLabel(ns: string | bigint): string {
  return msLabel(Number(BigInt(ns)) / 1e6);
}

/** The range choices the service pages offer, as `from` relative to now. */
export const RANGES: ReadonlyArray<{ key: string; label: string; minutes: number }> = [
  { key: "1h", label: "1 h", minutes: 60 },
  { key: "6h", label: "6 h", minutes: 360 },
  { key: "24h", label: "24 h", minutes: 1440 },
  { key: "7d", label: "7 d", minutes: 10_080 },
];

export function rangeQuery(key: string | undefined, nowMs: number): { from: string; to: string; key: string } {
  const range = RANGES.find((r) => r.key === key) ?? RANGES[0]!;
  return { from: new Date(nowMs - range.minutes * 60_000).toISOString(), to: new Date(nowMs).toISOString(), key: range.key };
}
