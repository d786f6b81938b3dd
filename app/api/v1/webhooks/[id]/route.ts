import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { deleteWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { webhookServiceContext } from "@/lib/webhooks/settings";

export const PATCH = route(api.updateWebhook, async ({ params, body, svc, app }) => ({ endpoint: await updateWebhookEndpoint(webhookServiceContext(svc, app), params.id, body) }));

export const DELETE = route(api.deleteWebhook, async ({ params, svc }) => {
  await deleteWebhookEndpoint(svc, params.id);
  return { deleted: params.id };
});
