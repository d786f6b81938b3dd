import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { deleteWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { webhookServiceContext } from "@/lib/webhooks/settings";

export const PATCH = route(api.updateWebhook, async ({ query, body, svc, app }) => ({ endpoint: await updateWebhookEndpoint(webhookServiceContext(svc, app), query.id, body) }));

export const DELETE = route(api.deleteWebhook, async ({ query, svc }) => {
  await deleteWebhookEndpoint(svc, query.id);
  return { deleted: query.id };
});
