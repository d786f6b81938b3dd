// Renders an outbox event into the request body of one endpoint's format, with absolute links.
import { buildAlertmanagerPayload } from "./alertmanager-payload";
import type { WebhookEvent, WebhookFormat } from "./events";
import { buildTailguardPayload } from "./tailguard-payload";

export function absoluteLinks(links: WebhookEvent["links"], externalUrl: string): { console: string; job?: string } {
  const base = externalUrl.replace(/\/+$/, "");
  return { console: `${base}${links.console}`, ...(links.job ? { job: `${base}${links.job}` } : {}) };
}

/** The exact bytes that are signed and sent; the same event and settings always give the same body. */
export function renderWebhookBody(options: { event: WebhookEvent; format: WebhookFormat; receiver: string; externalUrl: string }): string {
  const links = absoluteLinks(options.event.links, options.externalUrl);
  const payload =
    options.format === "alertmanager"
      ? buildAlertmanagerPayload(options.event, { receiver: options.receiver, externalUrl: options.externalUrl.replace(/\/+$/, ""), links })
      : buildTailguardPayload(options.event, links);
  return JSON.stringify(payload);
}
