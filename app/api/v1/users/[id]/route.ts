import { api } from "@/lib/api/contract";
import { updateUser } from "@/lib/auth/users";
import { route } from "@/lib/http/route";

export const PATCH = route(api.updateUser, async ({ body, params, svc }) => ({ user: await updateUser(svc, params.id, body) }));
