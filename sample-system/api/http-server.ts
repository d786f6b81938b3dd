// A small HTTP server for the sample API: routing, SERVER spans (instrumentation-http's, or its own
// when that is not active; HTTP semconv, W3C context in),
// per-request timeouts, per-client rate limiting, RED metrics and JSON error bodies.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SpanKind, SpanStatusCode, context, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { ATTR } from "../telemetry/attributes";
import { activeSpanOf, traceServer } from "../telemetry/instrumentation";
import { extractTraceContext } from "../telemetry/propagation";
import type { ClientRateLimiter } from "./token-bucket";

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export type HttpResult = { status: number; body: unknown; headers?: Record<string, string> };
export type RequestScope = { body: unknown; params: Record<string, string>; headers: IncomingMessage["headers"]; clientId: string; span: Span; ctx: Context; signal: AbortSignal };
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

function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${route.route.replace(/:(\w+)/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")])) };
  }
  return undefined;
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, "payload_too_large", `body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_json", "request body is not valid JSON");
  }
}

export function startHttpServer(deps: HttpServerDeps, listen: { host: string; port: number }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void handleRequest(deps, req, res));
  traceServer(server);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : listen.port;
      resolve({ server, url: `http://${listen.host}:${port}` });
    });
  });
}

async function handleRequest(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedMs = performance.now();
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://sample.local").pathname;
  const matched = matchRoute(deps.routes, method, path);
  const routeName = matched?.route.route ?? "unmatched";
  const requestId = randomUUID();
  const attributes = { [ATTR.httpMethod]: method, [ATTR.httpRoute]: routeName, [ATTR.urlPath]: path, "http.request.id": requestId };
  // One SERVER span per request: instrumentation-http's when it made one (it ends it on response).
  const automatic = activeSpanOf("http");
  automatic?.updateName(`${method} ${routeName}`);
  automatic?.setAttributes(attributes);
  const parent = automatic ? context.active() : extractTraceContext(req.headers as Record<string, unknown>);
  const span = automatic ?? deps.tracer.startSpan(`${method} ${routeName}`, { kind: SpanKind.SERVER, attributes }, parent);
  const ctx = automatic ? parent : trace.setSpan(parent, span);
  const abort = new AbortController();
  let answered = false;
  deps.onActiveChange(1);

  const respond = (result: HttpResult) => {
    if (answered) return;
    answered = true;
    const body = JSON.stringify(result.body);
    res.writeHead(result.status, { "content-type": "application/json", "x-request-id": requestId, ...result.headers });
    res.end(body);
    span.setAttribute(ATTR.httpStatus, result.status);
    if (result.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${result.status}` });
    deps.onRequest((performance.now() - startedMs) / 1000, { [ATTR.httpMethod]: method, [ATTR.httpRoute]: routeName, [ATTR.httpStatus]: result.status });
  };
  const fail = (err: HttpError) => respond({ status: err.status, headers: err.headers, body: { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } } });

  const timer = matched
    ? setTimeout(() => {
        abort.abort();
        deps.onRejected("timeout");
        fail(new HttpError(504, "timeout", `no answer within ${matched.route.timeoutMs} ms`));
      }, matched.route.timeoutMs)
    : undefined;
  try {
    if (!matched) throw new HttpError(404, "not_found", `no route ${method} ${path}`);
    const clientId = String(req.headers["x-client-id"] ?? req.socket.remoteAddress ?? "unknown").slice(0, 100);
    span.setAttribute("client.id", clientId);
    if (matched.route.rateLimited) {
      const taken = deps.rateLimiter.take(clientId, Date.now());
      if (!taken.allowed) {
        deps.onRejected("rate_limited");
        throw new HttpError(429, "rate_limited", `client ${clientId} is over its rate limit`, undefined, { "retry-after": String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))) });
      }
    }
    const body = method === "POST" ? await readJson(req, deps.maxBodyBytes) : undefined;
    respond(await matched.route.handle({ body, params: matched.params, headers: req.headers, clientId, span, ctx, signal: abort.signal }));
  } catch (err) {
    if (err instanceof HttpError) fail(err);
    else if ((err as { kind?: string }).kind === "pool_timeout") {
      // Saturation, not a bug: say so, and when to come back.
      fail(new HttpError(503, "db_pool_exhausted", (err as Error).message, undefined, { "retry-after": "1" }));
    } else if (!answered) {
      span.recordException(err as Error);
      console.error(`[sample-api] request ${requestId} failed: ${(err as Error).stack ?? String(err)}`);
      fail(new HttpError(500, "internal", `internal error; request id ${requestId}`));
    }
  } finally {
    clearTimeout(timer);
    deps.onActiveChange(-1);
    if (!automatic) span.end();
  }
}
