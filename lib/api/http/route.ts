// The one wrapper every API route handler uses: authenticate, check the operation's scope,
// validate input with its zod schemas, run the handler, and map errors to JSON responses.
import type { z } from "zod";
import { type Operation } from "../core/contract";
import { findUnsafeValue } from "../core/fields";
import { resolveSession, SESSION_COOKIE } from "../../auth/store/sessions";
import { hasScope, type Actor } from "../../auth/core/scopes";
import type { ServiceContext } from "../../context/service-context";
import { authenticateToken } from "../../auth/store/tokens";
import { DomainError, type ErrorKind } from "../../errors";
import type { Logger } from "../../observability/logger";
import { readCookie } from "./cookies";
import { getAppContext, type AppContext } from "../../context/app-context";

const STATUS: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, unprocessable: 422, unavailable: 503 };

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export type RouteArgs<Op extends Operation> = {
  req: Request;
  body: Infer<Op["body"]>;
  params: Infer<Op["params"]>;
  query: Infer<Op["query"]>;
  actor: Op["scope"] extends "public" ? Actor | null : Actor;
  app: AppContext;
  svc: ServiceContext;
  log: Logger;
  requestId: string;
};

type Handler<Op extends Operation> = (args: RouteArgs<Op>) => Promise<z.infer<Op["response"]> | Response>;
type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

/** A route handler that names the contract operation it serves (tests/api-routes-contract.test.ts checks the binding). */
export type RouteHandler<Op extends Operation> = ((req: Request, context: NextRouteContext) => Promise<Response>) & { readonly operation: Op };

export function errorResponse(status: number, code: string, message: string, extra: { details?: unknown; requestId?: string; headers?: HeadersInit } = {}): Response {
  const body = { error: { code, message, ...(extra.details === undefined ? {} : { details: extra.details }), ...(extra.requestId ? { requestId: extra.requestId } : {}) } };
  return Response.json(body, { status, headers: extra.headers });
}

export function route<Op extends Operation>(op: Op, handler: Handler<Op>): RouteHandler<Op> {
  const serve = async (req: Request, context: NextRouteContext): Promise<Response> => {
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
      // Path parameters arrive decoded by the router; they and the search parameters are separate inputs, so `?id=` cannot retarget a call.
      const params = op.params ? parse(op.params, checked(await context.params, "path"), "path") : undefined;
      const query = op.query ? parse(op.query, checked(singleValuedParams(req), "query"), "query") : undefined;
      const body = op.body ? parse(op.body, checked(await readJson(req), "body"), "body") : undefined;
      const svc: ServiceContext = { db: app.db, actor: actor ?? { type: "system", name: "anonymous", scopes: [] }, requestId };
      const out = await handler({ req, body, params, query, actor, app, svc, log } as RouteArgs<Op>);
      if (out instanceof Response) return out;
      if (app.config.NODE_ENV !== "production") op.response.parse(out);
      return Response.json(out, { status: op.status ?? 200 });
    } catch (err) {
      if (err instanceof DomainError) {
        if (err.kind === "unauthenticated" || err.kind === "forbidden") app.metrics.authFailures.inc({ reason: err.kind });
        return errorResponse(STATUS[err.kind], err.code ?? err.kind, err.message, { details: err.details, requestId });
      }
      log.error("request failed", { err });
      return errorResponse(500, "internal", "internal error; quote the request ID when reporting it", { requestId });
    }
  };
  return Object.assign(serve, { operation: op });
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

// No operation takes a list in its query: a repeated parameter is refused rather than silently
// resolved to one of its values (the first or the last, depending on who reads it).
function singleValuedParams(req: Request): Record<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URL(req.url).searchParams) {
    if (params.has(key)) throw new DomainError("invalid", `query.${key}: given more than once; send one value`, [{ path: `query.${key}`, message: "given more than once" }]);
    params.set(key, value);
  }
  return Object.fromEntries(params);
}

function checked<T>(value: T, where: string): T {
  const unsafe = findUnsafeValue(value);
  if (!unsafe) return value;
  const path = [where, unsafe.path].filter(Boolean).join(".");
  throw new DomainError("invalid", `${path}: ${unsafe.message}`, [{ path, message: unsafe.message }]);
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message }));
  throw new DomainError("invalid", details.map((d) => `${d.path}: ${d.message}`).join("; "), details);
}

const MAX_BODY_BYTES = 1_000_000;

async function readJson(req: Request): Promise<unknown> {
  const text = await readCapped(req);
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    throw new DomainError("invalid", "request body is not valid JSON");
  }
}

// Stops at the limit: a body that declares or sends more is refused before the rest is buffered.
async function readCapped(req: Request): Promise<string> {
  const tooLarge = () => new DomainError("invalid", "request body over 1 MB", [{ path: "body", message: "over 1 MB" }], "body_too_large");
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    bytes += value.byteLength;
    if (bytes > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
}
