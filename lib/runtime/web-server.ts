// The console/API HTTP server: assigns request IDs, serves /metrics, /healthz and /readyz itself,
// hands everything else to Next.js, and records one log line and one histogram sample per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { routeLabel } from "../observability/metrics";
import type { AppContext } from "./context";
import { checkReadiness } from "./health";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createWebServer(app: AppContext, nextHandler: NextHandler) {
  return createServer((req, res) => {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = requestId;
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
    void handle(app, nextHandler, req, res, pathname, requestId);
  });
}

async function handle(app: AppContext, nextHandler: NextHandler, req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string) {
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
