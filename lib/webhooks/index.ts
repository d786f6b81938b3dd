// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export { type DELIVERY_STATUSES, type WebhookDeliveryView, WebhookEndpointPatch, type WebhookEndpointView } from "./core/endpoint-schemas";
export type { WebhookEventType, WebhookFormat } from "./core/events";
export { listWebhookDeliveries, redeliverWebhook, sendWebhookTest } from "./store/deliveries";
export { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, rotateWebhookSecret, updateWebhookEndpoint } from "./store/endpoints";
export { webhookServiceContext } from "./store/service-context";
