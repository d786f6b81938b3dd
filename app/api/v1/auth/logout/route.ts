import { api } from "@/lib/api/contract";
import { clearedSessionCookie, deleteSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { readCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";

export const POST = route(api.logout, async ({ req, app }) => {
  await deleteSession(app.db, readCookie(req.headers.get("cookie"), SESSION_COOKIE), app.sessionKey);
  return Response.json({ ok: true }, { headers: { "set-cookie": clearedSessionCookie(app.config.secureCookies) } });
});
