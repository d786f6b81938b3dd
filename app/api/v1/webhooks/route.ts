import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { webhookServiceContext } from "@/lib/webhooks/settings";

export const GET = route(api.listWebhooks, async ({ app }) => ({ endpoints: await listWebhookEndpoints(app.db) }));

export const POST = route(api.createWebhook, async ({ body, svc, app }) => createWebhookEndpoint(webhookServiceContext(svc, app), body));
