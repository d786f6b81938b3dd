import { api, route } from "@/lib/api";
import { revokeGateOverride } from "@/lib/gate";

export const DELETE = route(api.revokeGateOverride, async ({ params, svc }) => ({ override: await revokeGateOverride(svc, params.id) }));
