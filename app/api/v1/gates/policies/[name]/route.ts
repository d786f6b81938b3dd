import { api, route } from "@/lib/api";
import { loadPolicy, savePolicy } from "@/lib/gate";

export const GET = route(api.getGatePolicy, async ({ params, app }) => ({ name: params.name, policy: await loadPolicy(app.db, params.name) }));

export const PUT = route(api.saveGatePolicy, async ({ params, body, svc }) => ({ name: params.name, policy: await savePolicy(svc, params.name, body) }));
