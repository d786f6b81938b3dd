import { api } from "@/lib/api/contract";
import { createToken, listTokens } from "@/lib/auth/tokens";
import { route } from "@/lib/http/route";

export const GET = route(api.listTokens, async ({ app }) => ({ tokens: await listTokens(app.db) }));

export const POST = route(api.createToken, ({ body, svc }) => createToken(svc, body));
