// The zod shapes of webhook endpoints as the API accepts and returns them (never the secret).
import { z } from "zod";
import { ServiceName } from "../../telemetry/core/otlp/service-name";
import { WebhookEventType, WebhookFormat } from "./events";

const Events = z
  .array(WebhookEventType)
  .min(1, "subscribe to at least one event type")
  .transform((xs) => [...new Set(xs)]);
const Services = z
  .array(ServiceName)
  .max(100)
  .transform((xs) => [...new Set(xs)]);

export const WebhookEndpointInput = z.object({
  name: z.string().trim().min(1, "required").max(100),
  url: z.string().trim().min(1, "required").max(2000),
  events: Events.default(["slo.alert.firing", "slo.alert.resolved"]),
  /** Empty: every service. */
  services: Services.default([]),
  format: WebhookFormat.default("alertmanager"),
  enabled: z.boolean().default(true),
  maxAttempts: z.number().int().min(1).max(20).default(8),
});
export type WebhookEndpointInput = z.output<typeof WebhookEndpointInput>;

export const WebhookEndpointPatch = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: z.string().trim().min(1).max(2000),
    events: Events,
    services: Services,
    format: WebhookFormat,
    enabled: z.boolean(),
    maxAttempts: z.number().int().min(1).max(20),
  })
  .partial()
  .strict();
export type WebhookEndpointPatch = z.output<typeof WebhookEndpointPatch>;

export const WebhookEndpointView = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    services: z.array(z.string()),
    format: z.string(),
    enabled: z.boolean(),
    maxAttempts: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

export const WebhookAttemptView = z
  .object({ startedAt: z.string(), durationMs: z.number().int(), statusCode: z.number().int().nullable(), error: z.string().nullable(), responseExcerpt: z.string().nullable() })
  .strict();

export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);

export const WebhookDeliveryView = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    endpointName: z.string(),
    eventType: z.string(),
    eventKey: z.string(),
    summary: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attemptLog: z.array(WebhookAttemptView),
  })
  .strict();
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
