import { api, route } from "@/lib/api";
import { createUser, listUsers } from "@/lib/auth";

export const GET = route(api.listUsers, async ({ app }) => ({ users: await listUsers(app.db) }));

export const POST = route(api.createUser, async ({ body, svc }) => ({ user: await createUser(svc, body) }));
