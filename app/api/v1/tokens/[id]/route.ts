import { api, route } from "@/lib/api";
import { revokeToken } from "@/lib/auth";

export const DELETE = route(api.revokeToken, async ({ params, svc }) => ({ token: await revokeToken(svc, params.id) }));
