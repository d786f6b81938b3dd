import { api } from "@/lib/api/contract";
import { createGateOverride, listGateOverrides } from "@/lib/gates/overrides";
import { route } from "@/lib/http/route";

export const GET = route(api.listGateOverrides, async ({ app }) => ({ overrides: await listGateOverrides(app.db) }));

export const POST = route(api.createGateOverride, async ({ body, svc }) => ({ override: await createGateOverride(svc, body) }));
