import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { redeliverWebhook } from "@/lib/webhooks/deliveries";

export const POST = route(api.redeliverWebhook, async ({ params, svc }) => ({ delivery: await redeliverWebhook(svc, params.id) }));
