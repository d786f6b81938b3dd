import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";
import { webhookServiceContext } from "@/lib/webhooks/settings";

export const POST = route(api.rotateWebhookSecret, async ({ params, svc, app }) => rotateWebhookSecret(webhookServiceContext(svc, app), params.id));
