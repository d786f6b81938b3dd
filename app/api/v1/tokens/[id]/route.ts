import { api } from "@/lib/api/contract";
import { revokeToken } from "@/lib/auth/tokens";
import { route } from "@/lib/http/route";

export const DELETE = route(api.revokeToken, async ({ params, svc }) => ({ token: await revokeToken(svc, params.id) }));
