import { api, route } from "@/lib/api";
import { redeliverWebhook } from "@/lib/webhooks";

export const POST = route(api.redeliverWebhook, async ({ params, svc }) => ({ delivery: await redeliverWebhook(svc, params.id) }));
