import { api } from "@/lib/api/contract";
import { recordAudit } from "@/lib/audit/audit";
import { createSession, sessionCookie } from "@/lib/auth/sessions";
import { scopesForRole } from "@/lib/auth/scopes";
import { checkLogin } from "@/lib/auth/users";
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const POST = route(api.login, async ({ body, app, requestId }) => {
  const user = await checkLogin(app.db, body.email, body.password);
  if (!user) {
    app.metrics.authFailures.inc({ reason: "login" });
    throw new DomainError("unauthenticated", "wrong email or password, or the account is disabled");
  }
  const session = await createSession(app.db, user.id, app.sessionKey);
  const actor = { type: "user" as const, id: user.id, name: user.name, role: user.role, scopes: scopesForRole(user.role) };
  await recordAudit(app.db.prisma, { actor, action: "session.login", targetType: "user", targetId: user.id, requestId });
  const me = { type: "user" as const, id: user.id, name: user.name, email: user.email, role: user.role, scopes: [...actor.scopes] };
  return Response.json(me, { headers: { "set-cookie": sessionCookie(session.cookieValue, { expiresAt: session.expiresAt, secure: app.config.secureCookies }) } });
});
