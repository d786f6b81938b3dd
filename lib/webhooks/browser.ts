// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export { type DELIVERY_STATUSES, type WebhookDeliveryView, WebhookEndpointPatch, type WebhookEndpointView } from "./core/endpoint-schemas";
export type { WebhookEventType, WebhookFormat } from "./core/events";
