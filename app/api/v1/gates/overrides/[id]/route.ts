import { api } from "@/lib/api/contract";
import { revokeGateOverride } from "@/lib/gates/overrides";
import { route } from "@/lib/http/route";

export const DELETE = route(api.revokeGateOverride, async ({ params, svc }) => ({ override: await revokeGateOverride(svc, params.id) }));
