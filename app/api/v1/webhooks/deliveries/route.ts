import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/webhooks/deliveries";

export const GET = route(api.listWebhookDeliveries, async ({ query, app }) => ({ deliveries: await listWebhookDeliveries(app.db, query) }));
