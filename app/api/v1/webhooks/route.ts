import { api, route } from "@/lib/api";
import { createWebhookEndpoint, listWebhookEndpoints, webhookServiceContext } from "@/lib/webhooks";

export const GET = route(api.listWebhooks, async ({ app }) => ({ endpoints: await listWebhookEndpoints(app.db) }));

export const POST = route(api.createWebhook, async ({ body, svc, app }) => createWebhookEndpoint(webhookServiceContext(svc, app), body));
