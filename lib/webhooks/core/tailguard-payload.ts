// Builds the generic Tailguard JSON webhook body: the event's facts with absolute links.
import type { SloSnapshot, WebhookEvent } from "./events";

// The event's own fields, renamed where the wire format differs (eventKey), with absolute links.
export type TailguardPayload = Omit<WebhookEvent, "key" | "links" | "slo"> & {
  schema: "tailguard.webhook.v1";
  eventKey: string;
  links: { console: string; job?: string };
  slo: SloSnapshot | null;
};

export function buildTailguardPayload(event: WebhookEvent, links: { console: string; job?: string }): TailguardPayload {
  const { key, slo, links: _relative, ...facts } = event;
  return { schema: "tailguard.webhook.v1", ...facts, eventKey: key, links, slo: slo ?? null };
}
