// What a webhook carries, independent of its wire format: the event types endpoints subscribe to
// and the facts of one event, stored in the outbox row and rendered per endpoint when sent.
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = ["slo.alert.firing", "slo.alert.resolved", "signal.opened", "signal.resolved", "gate.failed"] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const WEBHOOK_FORMATS = ["alertmanager", "tailguard"] as const;
export const WebhookFormat = z.enum(WEBHOOK_FORMATS);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

/** The SLO figures at the time of the event (the Alertmanager body's extra `slo` object). */
export type SloSnapshot = {
  name: string;
  displayName: string | null;
  service: string;
  objectivePercent: string;
  /** e.g. "30d rolling" or "calendar month". */
  window: string;
  burnRates: { windowMinutes: number; burnRate: number | null }[];
  /** Null when the window has no data. */
  budgetRemainingRatio: number | null;
  exhaustionForecast: { exhaustedAt: string; minutesUntilExhausted: number } | null;
};

export type WebhookEvent = {
  /** Stable identity of the event (the outbox eventKey), e.g. "alert_event:42". */
  key: string;
  /** "webhook.test" for a test event sent from the console. */
  type: WebhookEventType | "webhook.test";
  status: "firing" | "resolved";
  occurredAt: string;
  /** Alertmanager's alertname, e.g. SLOBurnRate. */
  name: string;
  service: string | null;
  severity: string;
  summary: string;
  description: string;
  startsAt: string;
  endsAt: string | null;
  /** Extra labels: SLO labels, alert key, signal kind… */
  labels: Record<string, string>;
  /** Console paths, made absolute with the public URL when rendered. */
  links: { console: string; job?: string };
  slo?: SloSnapshot;
};

export type EndpointFilter = { events: readonly string[]; services: readonly string[] };

/**
 * Whether an endpoint wants an event: its type is subscribed, and when the endpoint names
 * services, the event's service is one of them (an event without a service passes).
 */
export function endpointWants(endpoint: EndpointFilter, event: Pick<WebhookEvent, "type" | "service">): boolean {
  if (event.type === "webhook.test") return true;
  if (!endpoint.events.includes(event.type)) return false;
  if (endpoint.services.length === 0 || event.service === null) return true;
  return endpoint.services.includes(event.service);
}
