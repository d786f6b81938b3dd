// A small HTTP server for the sample API: routing, SERVER spans (instrumentation-http's, or its own
// when that is not active; HTTP semconv, W3C context in),
// per-request timeouts, per-client rate limiting, RED metrics and JSON error bodies.
// No request can end the process: every failure becomes a 4xx/5xx answer, and close() waits for
// (or aborts) every handler, including those still working after their timeout answered.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SpanKind, SpanStatusCode, context, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { ATTR } from "../telemetry/attributes";
import { activeSpanOf, traceServer } from "../telemetry/instrumentation";
import { extractTraceContext } from "../telemetry/propagation";
import { HttpError } from "./http-error";
import { answerClientError, assertSingleValueHeaders, decodePathSegment, readJsonBody, rejectBody, requestPath } from "./request-input";
import type { ClientRateLimiter } from "./token-bucket";

export { HttpError } from "./http-error";

export type HttpResult = { status: number; body: unknown; headers?: Record<string, string> };
export type RequestScope = {
  body: unknown;
  params: Record<string, string>;
  headers: IncomingMessage["headers"];
  clientId: string;
  span: Span;
  ctx: Context;
  /** Aborted when the request timed out (its answer is sent) or the server stops. */
  signal: AbortSignal;
  /** Aborted only when the server stops: work in progress should end, not finish. */
  shutdown: AbortSignal;
};
export type Route = { method: string; route: string; timeoutMs: number; rateLimited: boolean; handle(scope: RequestScope): Promise<HttpResult> };

export type HttpServerDeps = {
  routes: Route[];
  tracer: Tracer;
  rateLimiter: ClientRateLimiter;
  maxBodyBytes: number;
  onRequest: (seconds: number, attrs: Record<string, string | number>) => void;
  onRejected: (reason: "rate_limited" | "timeout") => void;
  onActiveChange: (delta: number) => void;
};

export type HttpServerHandle = {
  server: Server;
  url: string;
  /** Stops accepting, lets handlers finish for up to `drainMs`, then aborts the rest and waits for them. */
  close(options?: { drainMs?: number }): Promise<void>;
};

type RouteMatch = { kind: "match"; route: Route; params: Record<string, string> } | { kind: "wrong_method"; allow: string[] } | { kind: "none" };

function matchRoute(routes: Route[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  for (const route of routes) {
    const names: string[] = [];
    const pattern = new RegExp(`^${route.route.replace(/:(\w+)/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
    const m = pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allow.push(route.method);
      continue;
    }
    return { kind: "match", route, params: Object.fromEntries(names.map((n, i) => [n, decodePathSegment(m[i + 1] ?? "")])) };
  }
  return allow.length > 0 ? { kind: "wrong_method", allow } : { kind: "none" };
}

export function startHttpServer(deps: HttpServerDeps, listen: { host: string; port: number }): Promise<HttpServerHandle> {
  const handlers = new Set<Promise<void>>();
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // one listener per request in flight, by design
  const server = createServer((req, res) => {
    const handling = handleRequest(deps, req, res, shutdown.signal).catch((err: unknown) => answerUnexpected(req, res, err));
    handlers.add(handling);
    void handling.finally(() => handlers.delete(handling));
  });
  server.on("clientError", answerClientError);
  traceServer(server);
  server.keepAliveTimeout = 5_000;
  const close = async ({ drainMs = 2_000 } = {}) => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = Promise.allSettled([...handlers]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    shutdown.abort();
    server.closeAllConnections();
    while (handlers.size > 0) await Promise.allSettled([...handlers]);
    await closed;
  };
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : listen.port;
      resolve({ server, url: `http://${listen.host}:${port}`, close });
    });
  });
}

/** The last resort behind handleRequest's own catch: log, answer 500 if nothing was sent, stay up. */
function answerUnexpected(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  console.error(`[sample-api] ${req.method ?? "?"} request failed outside its handler: ${(err as Error)?.stack ?? String(err)}`);
  try {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", connection: "close" }).end(JSON.stringify({ error: { code: "internal", message: "internal error" } }));
    else res.destroy();
  } catch {
    res.destroy();
  }
}

async function handleRequest(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse, shutdown: AbortSignal): Promise<void> {
  const startedMs = performance.now();
  const method = req.method ?? "GET";
  const requestId = randomUUID();
  let routeName = "unmatched";
  // One SERVER span per request: instrumentation-http's when it made one (it ends it on response).
  const automatic = activeSpanOf("http");
  const parent = automatic ? context.active() : extractTraceContext(req.headers as Record<string, unknown>);
  const span = automatic ?? deps.tracer.startSpan(`${method} ${routeName}`, { kind: SpanKind.SERVER, attributes: { [ATTR.httpMethod]: method, "http.request.id": requestId } }, parent);
  const ctx = automatic ? parent : trace.setSpan(parent, span);
  const abort = new AbortController();
  const onShutdown = () => abort.abort();
  shutdown.addEventListener("abort", onShutdown, { once: true });
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  deps.onActiveChange(1);

  const respond = (result: HttpResult) => {
    if (answered) return;
    // A body JSON cannot hold or an invalid header value throws before anything is sent: the catch answers 500.
    const body = JSON.stringify(result.body);
    res.writeHead(result.status, { "content-type": "application/json", "x-request-id": requestId, ...result.headers });
    answered = true;
    res.end(body);
    span.setAttribute(ATTR.httpStatus, result.status);
    if (result.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${result.status}` });
    deps.onRequest((performance.now() - startedMs) / 1000, { [ATTR.httpMethod]: method, [ATTR.httpRoute]: routeName, [ATTR.httpStatus]: result.status });
  };
  const fail = (err: HttpError) => respond({ status: err.status, headers: err.headers, body: { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } } });

  try {
    const path = requestPath(req.url);
    const matched = matchRoute(deps.routes, method, path);
    if (matched.kind === "match") routeName = matched.route.route;
    const attributes = { [ATTR.httpMethod]: method, [ATTR.httpRoute]: routeName, [ATTR.urlPath]: path, "http.request.id": requestId };
    span.updateName(`${method} ${routeName}`);
    span.setAttributes(attributes);
    if (matched.kind === "wrong_method") throw new HttpError(405, "method_not_allowed", `${path} does not answer ${method.slice(0, 20)}`, undefined, { allow: matched.allow.join(", ") });
    if (matched.kind === "none") throw new HttpError(404, "not_found", `no route ${method.slice(0, 20)} ${path.slice(0, 200)}`);
    timer = setTimeout(() => {
      // Outside the request's promise chain: an exception here would end the process.
      try {
        fail(new HttpError(504, "timeout", `no answer within ${matched.route.timeoutMs} ms`));
        deps.onRejected("timeout");
        abort.abort();
      } catch (err) {
        answerUnexpected(req, res, err);
      }
    }, matched.route.timeoutMs);
    assertSingleValueHeaders(req);
    const clientId = String(req.headers["x-client-id"] ?? req.socket.remoteAddress ?? "unknown").slice(0, 100);
    span.setAttribute("client.id", clientId);
    if (matched.route.rateLimited) {
      const taken = deps.rateLimiter.take(clientId, Date.now());
      if (!taken.allowed) {
        deps.onRejected("rate_limited");
        throw new HttpError(429, "rate_limited", `client ${clientId} is over its rate limit`, undefined, { "retry-after": String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))) });
      }
    }
    const body = method === "POST" ? await readJsonBody(req, deps.maxBodyBytes) : rejectBody(req);
    respond(await matched.route.handle({ body, params: matched.params, headers: req.headers, clientId, span, ctx, signal: abort.signal, shutdown }));
  } catch (err) {
    if (err instanceof HttpError) fail(err);
    else if (shutdown.aborted) fail(new HttpError(503, "shutting_down", "the sample API is stopping", undefined, { connection: "close" }));
    else if ((err as { kind?: string } | null)?.kind === "pool_timeout") {
      // Saturation, not a bug: say so, and when to come back.
      fail(new HttpError(503, "db_pool_exhausted", (err as Error).message, undefined, { "retry-after": "1" }));
    } else if (!answered) {
      span.recordException(err instanceof Error ? err : String(err));
      console.error(`[sample-api] request ${requestId} failed: ${(err as Error)?.stack ?? String(err)}`);
      fail(new HttpError(500, "internal", `internal error; request id ${requestId}`));
    }
  } finally {
    clearTimeout(timer);
    shutdown.removeEventListener("abort", onShutdown);
    deps.onActiveChange(-1);
    if (!automatic) span.end();
  }
}
