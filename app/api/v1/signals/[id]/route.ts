import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getSignal } from "@/lib/signals/store";

export const GET = route(api.getSignal, async ({ params, app }) => ({ signal: await getSignal(app.db, params.id) }));
