// API operations for webhook endpoints and their deliveries (the outbox).
import { z } from "zod";
import { DeliveryStatus, WebhookDeliveryView, WebhookEndpointInput, WebhookEndpointPatch, WebhookEndpointView } from "../../webhooks/core/endpoint-schemas";
import { queryNumber } from "./fields";
import type { Operation } from "./contract-types";

const Id = z.object({ id: z.string().uuid() });
const EndpointWithSecret = z.object({ endpoint: WebhookEndpointView, secret: z.string() }).strict();

export const webhookApi = {
  listWebhooks: { method: "GET", path: "/api/v1/webhooks", summary: "List webhook endpoints (never their secrets)", scope: "read", response: z.object({ endpoints: z.array(WebhookEndpointView) }).strict() },
  createWebhook: { method: "POST", path: "/api/v1/webhooks", summary: "Create a webhook endpoint; its signing secret (whsec_…) is returned once", scope: "write", body: WebhookEndpointInput, response: EndpointWithSecret, status: 201 },
  updateWebhook: { method: "PATCH", path: "/api/v1/webhooks/{id}", summary: "Change an endpoint's name, URL (checked again), events, services, format, max attempts, or enable or disable it; send only the fields to change", scope: "write", params: Id, body: WebhookEndpointPatch, response: z.object({ endpoint: WebhookEndpointView }).strict() },
  deleteWebhook: { method: "DELETE", path: "/api/v1/webhooks/{id}", summary: "Delete a webhook endpoint and its deliveries", scope: "write", params: Id, response: z.object({ deleted: z.string() }).strict() },
  rotateWebhookSecret: { method: "POST", path: "/api/v1/webhooks/{id}/rotate-secret", summary: "Replace an endpoint's signing secret; the new secret is returned once", scope: "write", params: Id, response: EndpointWithSecret },
  testWebhook: { method: "POST", path: "/api/v1/webhooks/{id}/test", summary: "Queue a test event for one endpoint", scope: "write", params: Id, response: z.object({ deliveryId: z.string() }).strict(), status: 202 },
  listWebhookDeliveries: {
    method: "GET",
    path: "/api/v1/webhooks/deliveries",
    summary: "Recent webhook deliveries with every attempt; status=dead lists the dead-letter queue",
    scope: "read",
    query: z.object({ status: DeliveryStatus.optional(), endpointId: z.string().uuid().optional(), limit: queryNumber({ min: 1, max: 500 }).default(50) }),
    response: z.object({ deliveries: z.array(WebhookDeliveryView) }).strict(),
  },
  redeliverWebhook: { method: "POST", path: "/api/v1/webhooks/deliveries/{id}/redeliver", summary: "Queue a delivered or dead delivery again (same webhook-id)", scope: "write", params: Id, response: z.object({ delivery: WebhookDeliveryView }).strict(), status: 202 },
} satisfies Record<string, Operation>;
