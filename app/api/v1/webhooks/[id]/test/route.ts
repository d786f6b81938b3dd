import { api, route } from "@/lib/api";
import { sendWebhookTest } from "@/lib/webhooks";

export const POST = route(api.testWebhook, async ({ params, svc }) => sendWebhookTest(svc, params.id));
