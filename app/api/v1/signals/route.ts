import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { listSignals } from "@/lib/signals/store";

export const GET = route(api.listSignals, async ({ query, app }) => ({ signals: await listSignals(app.db, query) }));
