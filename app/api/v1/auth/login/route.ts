import { api, addressLimitKey, clientAddress, errorResponse, route } from "@/lib/api";
import { attemptLogin, loginPolicies, createSession, sessionCookie, scopesForRole } from "@/lib/auth";
import { recordAudit } from "@/lib/audit/audit";
import { DomainError } from "@/lib/errors";

export const POST = route(api.login, async ({ req, body, app, requestId }) => {
  const address = clientAddress(req.headers, app.config.TAILGUARD_TRUSTED_PROXY_HOPS);
  const outcome = await attemptLogin(
    { db: app.db, metrics: app.metrics, requestId },
    { email: body.email, password: body.password, address, addressLimitKey: addressLimitKey(address), now: new Date(), policies: loginPolicies(app.config) },
  );
  if (!outcome.ok && outcome.reason === "throttled") {
    const s = outcome.retryAfterS;
    return errorResponse(429, "too_many_attempts", `too many attempts, try again in ${s} s`, { details: { retryAfterS: s }, requestId, headers: { "retry-after": String(s) } });
  }
  if (!outcome.ok) {
    app.metrics.authFailures.inc({ reason: "login" });
    throw new DomainError("unauthenticated", "wrong email or password, or the account is disabled");
  }
  const user = outcome.user;
  const session = await createSession(app.db, user.id, app.sessionKey);
  const actor = { type: "user" as const, id: user.id, name: user.name, role: user.role, scopes: scopesForRole(user.role) };
  await recordAudit(app.db.prisma, { actor, action: "session.login", targetType: "user", targetId: user.id, requestId });
  const me = { type: "user" as const, id: user.id, name: user.name, email: user.email, role: user.role, scopes: [...actor.scopes] };
  return Response.json(me, { headers: { "set-cookie": sessionCookie(session.cookieValue, { expiresAt: session.expiresAt, secure: app.config.secureCookies }) } });
});
