import { api, readCookie, route } from "@/lib/api";
import { clearedSessionCookie, deleteSession, SESSION_COOKIE } from "@/lib/auth";

export const POST = route(api.logout, async ({ req, app }) => {
  await deleteSession(app.db, readCookie(req.headers.get("cookie"), SESSION_COOKIE), app.sessionKey);
  return Response.json({ ok: true }, { headers: { "set-cookie": clearedSessionCookie(app.config.secureCookies) } });
});
