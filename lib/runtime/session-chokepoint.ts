// The console's one session check: every request the web server hands to Next.js passes here first,
// so pages, React Server Component payloads and server actions all need a valid `tg_session` cookie.
import type { IncomingMessage, ServerResponse } from "node:http";
import { accessFor, type Refusal } from "../auth/core/console-access";
import { resolveSession, SESSION_COOKIE } from "../auth/store/sessions";
import { readCookie } from "../api/http/cookies";
import type { AppContext } from "../context/app-context";

/** How to refuse this request, or null when it is public or carries a valid session. */
export async function refusalFor(app: AppContext, req: IncomingMessage, opts: { dev: boolean }): Promise<Refusal | null> {
  const decision = accessFor({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, dev: opts.dev });
  if (decision.kind === "public") return null;
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  const user = cookie ? await resolveSession(app.db, cookie, app.sessionKey) : null;
  return user ? null : decision.refusal;
}

// Nothing from the page: a document goes to the login page, a flight or action request gets a bare 401.
export function refuse(res: ServerResponse, refusal: Refusal, requestId: string): void {
  const headers = { "cache-control": "private, no-store", vary: "Cookie, RSC, Next-Router-State-Tree, Next-Router-Prefetch" };
  if (refusal.status === 307) {
    res.writeHead(307, { ...headers, location: refusal.location });
    return void res.end();
  }
  res.writeHead(401, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify({ error: { code: "unauthenticated", message: "log in to the console first", requestId } }));
}
