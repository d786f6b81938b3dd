// Display helpers for the Alerts & Webhooks page: badges for statuses and short times.
export const EVENT_LABELS: Record<string, string> = {
  "slo.alert.firing": "SLO alert firing",
  "slo.alert.resolved": "SLO alert resolved",
  "signal.opened": "signal opened",
  "signal.resolved": "signal resolved",
  "gate.failed": "gate failed",
};

export function deliveryBadge(status: string): string {
  return status === "delivered" ? "ok" : status === "dead" ? "bad" : "warn";
}

export function deliveryStatusLabel(status: string): string {
  return status === "dead" ? "dead letter" : status;
}

export function shortTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "–";
}
