// The console/API HTTP server: assigns request IDs, serves /metrics, /healthz and /readyz itself,
// checks the console session, hands everything else to Next.js, and records one log line and one
// histogram sample per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { PEER_ADDRESS_HEADER } from "../api/http/client-address";
import { createRouteLabeller } from "../observability/route-patterns";
import { appRoutes } from "./app-routes";
import type { AppContext } from "../context/app-context";
import { checkReadiness } from "./health";
import { refusalFor, refuse } from "./session-chokepoint";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Route patterns from app/ (the server runs from the repository root); without them every path is "(unmatched)". */
function routePatterns(app: AppContext): string[] {
  try {
    return appRoutes(process.cwd()).map((r) => r.pattern);
  } catch (err) {
    app.logger.warn("app/ not found: request metrics will not name routes", { err });
    return [];
  }
}

export function createWebServer(app: AppContext, nextHandler: NextHandler, opts: { dev: boolean }) {
  // Metrics and logs carry the route pattern, never the path: paths hold service names and job IDs, and
  // made-up paths must not add label values without bound.
  const routeLabel = createRouteLabeller(routePatterns(app));
  return createServer((req, res) => {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = requestId;
    // Rate limits read the client address from here (lib/api/http/client-address.ts); a client's own value is overwritten.
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    res.setHeader("x-request-id", requestId);
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    res.on("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(pathname);
      app.metrics.httpDuration.observe({ route, method: req.method ?? "GET", status: String(res.statusCode) }, seconds);
      if (!pathname.startsWith("/_next/") && pathname !== "/metrics" && pathname !== "/healthz") {
        app.logger.info("http request", { requestId, method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000) });
      }
    });
    void handle(app, nextHandler, req, res, pathname, requestId, opts.dev);
  });
}

async function handle(app: AppContext, nextHandler: NextHandler, req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string, dev: boolean) {
  try {
    if (pathname === "/healthz") return json(res, 200, { status: "ok", instanceId: app.instanceId, uptimeS: Math.round(process.uptime()) });
    if (pathname === "/readyz") {
      const r = await checkReadiness(app.db);
      return json(res, r.ready ? 200 : 503, { status: r.ready ? "ready" : "not ready", checks: r.checks });
    }
    if (pathname === "/metrics") {
      res.writeHead(200, { "content-type": app.metrics.registry.contentType });
      return void res.end(await app.metrics.registry.metrics());
    }
    const refusal = await refusalFor(app, req, { dev });
    if (refusal) return refuse(res, refusal, requestId);
    await nextHandler(req, res);
  } catch (err) {
    app.logger.error("unhandled request error", { requestId, err });
    if (!res.headersSent) json(res, 500, { error: { code: "internal", message: "internal error", requestId } });
    else res.end();
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
