import { api, route } from "@/lib/api";
import { listSignals } from "@/lib/signals";

export const GET = route(api.listSignals, async ({ query, app }) => ({ signals: await listSignals(app.db, query) }));
