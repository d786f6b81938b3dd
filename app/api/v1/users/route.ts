import { api } from "@/lib/api/contract";
import { createUser, listUsers } from "@/lib/auth/users";
import { route } from "@/lib/http/route";

export const GET = route(api.listUsers, async ({ app }) => ({ users: await listUsers(app.db) }));

export const POST = route(api.createUser, async ({ body, svc }) => ({ user: await createUser(svc, body) }));
