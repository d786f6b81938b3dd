import { api, route } from "@/lib/api";
import { createToken, listTokens } from "@/lib/auth";

export const GET = route(api.listTokens, async ({ app }) => ({ tokens: await listTokens(app.db) }));

export const POST = route(api.createToken, ({ body, svc }) => createToken(svc, body));
