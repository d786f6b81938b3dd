// Display helpers for SLO figures: percentages with sensible precision, windows, burn rates.
import type { SloDefinition } from "@/lib/slo";

export function percent(ratio: number | null, digits = 3): string {
  if (ratio === null) return "no data";
  return `${(ratio * 100).toFixed(digits).replace(/\.?0+$/, "")} %`;
}

export function windowLabel(w: SloDefinition["window"]): string {
  return w.type === "rolling" ? `rolling ${w.durationDays} d` : "calendar month";
}

export function sliLabel(sli: SloDefinition["sli"]): string {
  switch (sli.kind) {
    case "availability":
      return "availability";
    case "latency":
      return `latency ≤ ${sli.thresholdMs} ms`;
    case "jobCompletion":
      return `job completion ≤ ${sli.thresholdMs / 1000} s`;
    case "queueWait":
      return `queue wait ≤ ${sli.thresholdMs} ms`;
    case "metricRatio":
      return `${sli.good.metric} / ${sli.total.metric}`;
  }
}

export function burnLabel(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "–" : `${rate.toFixed(rate >= 10 ? 0 : 1)}×`;
}

export function budgetClass(remaining: number | null): string {
  if (remaining === null) return "";
  return remaining <= 0 ? "bad" : remaining < 0.25 ? "warn" : "ok";
}
