import { api, route } from "@/lib/api";
import { getSignal } from "@/lib/signals";

export const GET = route(api.getSignal, async ({ params, app }) => ({ signal: await getSignal(app.db, params.id) }));
