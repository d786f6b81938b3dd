import { api, route } from "@/lib/api";
import { updateUser } from "@/lib/auth";

export const PATCH = route(api.updateUser, async ({ body, params, svc }) => ({ user: await updateUser(svc, params.id, body) }));
