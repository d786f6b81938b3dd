import { api, route } from "@/lib/api";
import { deleteWebhookEndpoint, updateWebhookEndpoint, webhookServiceContext } from "@/lib/webhooks";

export const PATCH = route(api.updateWebhook, async ({ params, body, svc, app }) => ({ endpoint: await updateWebhookEndpoint(webhookServiceContext(svc, app), params.id, body) }));

export const DELETE = route(api.deleteWebhook, async ({ params, svc }) => {
  await deleteWebhookEndpoint(svc, params.id);
  return { deleted: params.id };
});
