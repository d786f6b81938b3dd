import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { sendWebhookTest } from "@/lib/webhooks/deliveries";

export const POST = route(api.testWebhook, async ({ params, svc }) => sendWebhookTest(svc, params.id));
