import { api } from "@/lib/api/contract";
import { loadPolicy, savePolicy } from "@/lib/gates/evaluate";
import { route } from "@/lib/http/route";

export const GET = route(api.getGatePolicy, async ({ query, app }) => ({ name: query.name, policy: await loadPolicy(app.db, query.name) }));

export const PUT = route(api.saveGatePolicy, async ({ query, body, svc }) => ({ name: query.name, policy: await savePolicy(svc, query.name, body) }));
