// Builds the generic Tailguard JSON webhook body: the event's facts with absolute links.
import type { SloSnapshot, WebhookEvent } from "./events";

export type TailguardPayload = {
  schema: "tailguard.webhook.v1";
  type: WebhookEvent["type"];
  eventKey: string;
  status: "firing" | "resolved";
  occurredAt: string;
  name: string;
  service: string | null;
  severity: string;
  summary: string;
  description: string;
  startsAt: string;
  endsAt: string | null;
  labels: Record<string, string>;
  links: { console: string; job?: string };
  slo: SloSnapshot | null;
};

export function buildTailguardPayload(event: WebhookEvent, links: { console: string; job?: string }): TailguardPayload {
  return {
    schema: "tailguard.webhook.v1",
    type: event.type,
    eventKey: event.key,
    status: event.status,
    occurredAt: event.occurredAt,
    name: event.name,
    service: event.service,
    severity: event.severity,
    summary: event.summary,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    labels: event.labels,
    links,
    slo: event.slo ?? null,
  };
}
