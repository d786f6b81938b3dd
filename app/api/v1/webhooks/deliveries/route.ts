import { api, route } from "@/lib/api";
import { listWebhookDeliveries } from "@/lib/webhooks";

export const GET = route(api.listWebhookDeliveries, async ({ query, app }) => ({ deliveries: await listWebhookDeliveries(app.db, query) }));
