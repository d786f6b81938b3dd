import { api, route } from "@/lib/api";
import { rotateWebhookSecret, webhookServiceContext } from "@/lib/webhooks";

export const POST = route(api.rotateWebhookSecret, async ({ params, svc, app }) => rotateWebhookSecret(webhookServiceContext(svc, app), params.id));
