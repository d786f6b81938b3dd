import { api } from "@/lib/api/contract";
import { loadPolicy, savePolicy } from "@/lib/gates/evaluate";
import { route } from "@/lib/http/route";

export const GET = route(api.getGatePolicy, async ({ params, app }) => ({ name: params.name, policy: await loadPolicy(app.db, params.name) }));

export const PUT = route(api.saveGatePolicy, async ({ params, body, svc }) => ({ name: params.name, policy: await savePolicy(svc, params.name, body) }));
