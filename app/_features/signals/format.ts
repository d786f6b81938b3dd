// Words and numbers for signals, shared by the list and the detail.
import type { SignalView } from "@/lib/signals/browser";

export const KIND_LABEL: Record<SignalView["kind"], string> = { saturation: "Saturation", retry_storm: "Retry storm", cache_stampede: "Cache stampede" };

export function severityClass(s: Pick<SignalView, "severity" | "phase">): string {
  if (s.phase === "resolved") return "ok";
  return s.severity === "critical" ? "bad" : "warn";
}

export function since(iso: string | null, now: number): string {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function duration(fromIso: string | null, toIso: string | null, now: number): string {
  if (!fromIso) return "—";
  const s = Math.round(((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso)) / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** Figures as an on-call engineer reads them: rates per second, times in ms or s, ratios in %. */
export function figureLabel(key: string, value: number | null): string {
  if (value === null) return "no data";
  if (/Ratio$|ratio$|Share$/.test(key)) return `${(value * 100).toFixed(1)} %`;
  if (/PerS$/.test(key)) return `${value.toFixed(value < 10 ? 2 : 1)}/s`;
  if (/Ms$/.test(key)) return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  if (/S$/.test(key)) return value >= 120 ? `${Math.round(value / 60)} min` : `${Math.round(value)} s`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function figureName(key: string): string {
  return key.replace(/([A-Z])/g, " $1").replace(/ Per S$/, " per second").replace(/ Ms$/, " (ms)").replace(/ S$/, " (s)").toLowerCase();
}

type Chart = SignalView["charts"][number];

/**
 * Drops the stretch before any chart of a signal had data, keeping one empty point to show where data begins, so a
 * young system's few minutes are not squeezed against the right edge of a 30-minute axis. Gaps after the first data
 * stay as they are (null), and every chart of the signal starts at the same time.
 */
export function trimLeadingGaps(charts: readonly Chart[]): Chart[] {
  const firsts = charts.flatMap((c) => {
    const p = c.points.find((x) => x.value !== null);
    return p ? [Date.parse(p.at)] : [];
  });
  if (firsts.length === 0) return [...charts];
  const from = Math.min(...firsts);
  return charts.map((c) => {
    const i = c.points.findIndex((p) => Date.parse(p.at) >= from);
    return i <= 0 ? c : { ...c, points: c.points.slice(i - 1) };
  });
}
