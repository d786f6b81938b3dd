import { api, route } from "@/lib/api";
import { createGateOverride, listGateOverrides } from "@/lib/gate";

export const GET = route(api.listGateOverrides, async ({ app }) => ({ overrides: await listGateOverrides(app.db) }));

export const POST = route(api.createGateOverride, async ({ body, svc }) => ({ override: await createGateOverride(svc, body) }));
