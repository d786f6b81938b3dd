// What each node and edge of the service map says, in short lines that fit its box, and the colour a signal gives it.
import type { MapEdge, MapNode, MapSignalRef } from "@/lib/telemetry/browser";
import { errorLabel, msLabel, rateLabel } from "../services/format";

export const SIGNAL_COLOUR = { critical: "#c92a2a", warning: "#e67700" } as const;
export const SLO_COLOUR = { firing: "#c92a2a", ok: "#2b8a3e", "no data": "#868e96" } as const;
export const KIND_FILL = { service: "#e7f5ff", queue: "#fff9db", dependency: "#f1f3f5" } as const;

/** The worst severity among a node's or an edge's signals, or null without any. */
export function worstSeverity(signals: readonly MapSignalRef[]): MapSignalRef["severity"] | null {
  if (signals.some((s) => s.severity === "critical")) return "critical";
  return signals.length > 0 ? "warning" : null;
}

export function shortName(name: string, max = 24): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** Up to two lines of figures under the node's name. */
export function nodeLines(n: MapNode): string[] {
  switch (n.kind) {
    case "service":
      return [`${rateLabel(n.requestRatePerS)} · ${errorLabel(n.errorRatio)} err · p95 ${msLabel(n.p95Ms)}`];
    case "queue": {
      const backlog = n.backlogChange > 0 ? `+${n.backlogChange}` : String(n.backlogChange);
      return [`in ${rateLabel(n.arrivalRatePerS)} · out ${rateLabel(n.completionRatePerS)}`, `backlog ${backlog} · ${errorLabel(n.errorRatio)} err · ${msLabel(n.meanMs)}`];
    }
    case "dependency":
      return [`${rateLabel(n.ratePerS)} · ${errorLabel(n.errorRatio)} err · ${msLabel(n.meanMs)}`, ...(n.missRatio === null ? [] : [`cache misses ${errorLabel(n.missRatio)}`])];
  }
}

/** The full figures of an edge, for its tooltip. */
export function edgeTitle(e: MapEdge, fromName: string, toName: string): string {
  const retries = e.retryRatio ? ` · ${errorLabel(e.retryRatio)} retries` : "";
  return `${fromName} ${e.kind === "call" ? "calls" : e.kind === "publish" ? "publishes to" : "consumes from"} ${toName}: ${rateLabel(e.ratePerS)} · ${errorLabel(e.errorRatio)} errors · mean ${msLabel(e.meanMs)}${retries}`;
}

/** Where an edge's label sits: the middle of its middle segment. */
export function edgeLabelAt(points: readonly { x: number; y: number }[]): { x: number; y: number } | null {
  if (points.length < 2) return null;
  const i = Math.floor((points.length - 1) / 2);
  const a = points[i]!;
  const b = points[i + 1]!;
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}
