// The one wrapper every API route handler uses: authenticate, check the operation's scope,
// validate input with its zod schemas, run the handler, and map errors to JSON responses.
import type { z } from "zod";
import { type Operation } from "../api/contract";
import { resolveSession, SESSION_COOKIE } from "../auth/sessions";
import { hasScope, type Actor } from "../auth/scopes";
import type { ServiceContext } from "../auth/service-context";
import { authenticateToken } from "../auth/tokens";
import { DomainError, type ErrorKind } from "../errors";
import type { Logger } from "../observability/logger";
import { getAppContext, type AppContext } from "../runtime/context";

const STATUS: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, unavailable: 503 };

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export type RouteArgs<Op extends Operation> = {
  req: Request;
  body: Infer<Op["body"]>;
  query: Infer<Op["query"]>;
  actor: Op["scope"] extends "public" ? Actor | null : Actor;
  app: AppContext;
  svc: ServiceContext;
  log: Logger;
  requestId: string;
};

type Handler<Op extends Operation> = (args: RouteArgs<Op>) => Promise<z.infer<Op["response"]> | Response>;
type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export function errorResponse(status: number, code: string, message: string, extra: { details?: unknown; requestId?: string; headers?: HeadersInit } = {}): Response {
  const body = { error: { code, message, ...(extra.details === undefined ? {} : { details: extra.details }), ...(extra.requestId ? { requestId: extra.requestId } : {}) } };
  return Response.json(body, { status, headers: extra.headers });
}

export function route<Op extends Operation>(op: Op, handler: Handler<Op>) {
  return async (req: Request, context: NextRouteContext): Promise<Response> => {
    const app = getAppContext();
    const requestId = req.headers.get("x-request-id") ?? "none";
    const log = app.logger.child({ requestId, operation: `${op.method} ${op.path}` });
    try {
      const actor = await authenticate(app, req, log);
      if (op.scope !== "public") {
        if (!actor) throw new DomainError("unauthenticated", "log in, or send an API token as `Authorization: Bearer tg_…`");
        if (op.scope !== "session" && !hasScope(actor, op.scope)) throw new DomainError("forbidden", `this operation needs the \`${op.scope}\` scope`);
      }
      if (actor?.type === "user" && req.method !== "GET" && !sameOrigin(req)) {
        throw new DomainError("forbidden", "cross-site request refused: the Origin header does not match this console");
      }
      const params = Object.fromEntries(new URL(req.url).searchParams);
      const query = op.query ? parse(op.query, { ...params, ...(await context.params) }, "query") : undefined;
      const body = op.body ? parse(op.body, await readJson(req), "body") : undefined;
      const svc: ServiceContext = { db: app.db, actor: actor ?? { type: "system", name: "anonymous", scopes: [] }, requestId };
      const out = await handler({ req, body, query, actor, app, svc, log } as RouteArgs<Op>);
      if (out instanceof Response) return out;
      if (app.config.NODE_ENV !== "production") op.response.parse(out);
      return Response.json(out, { status: op.status ?? 200 });
    } catch (err) {
      if (err instanceof DomainError) {
        if (err.kind === "unauthenticated" || err.kind === "forbidden") app.metrics.authFailures.inc({ reason: err.kind });
        return errorResponse(STATUS[err.kind], err.kind, err.message, { details: err.details, requestId });
      }
      log.error("request failed", { err });
      return errorResponse(500, "internal", "internal error; quote the request ID when reporting it", { requestId });
    }
  };
}

async function authenticate(app: AppContext, req: Request, log: Logger): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new DomainError("unauthenticated", "the Authorization header must be `Bearer <token>`");
    const result = await authenticateToken(app.db, match[1]);
    if (!result.ok) {
      log.info("token refused", { reason: result.reason });
      throw new DomainError("unauthenticated", `API token ${result.reason}`);
    }
    return result.actor;
  }
  const cookie = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
  return cookie ? resolveSession(app.db, cookie, app.sessionKey) : null;
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

// SameSite=Lax already keeps the cookie off cross-site POSTs; this also refuses them explicitly.
function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") !== "cross-site";
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message }));
  throw new DomainError("invalid", details.map((d) => `${d.path}: ${d.message}`).join("; "), details);
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > 1_000_000) throw new DomainError("invalid", "request body over 1 MB");
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    throw new DomainError("invalid", "request body is not valid JSON");
  }
}
