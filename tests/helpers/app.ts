// Builds an AppContext over a test database and calls Next.js route handlers as the server would.
import { loadConfig } from "../../lib/config/env";
import type { Database } from "../../lib/db/client";
import { createLogger } from "../../lib/observability/logger";
import { createMetrics } from "../../lib/observability/metrics";
import { setAppContext, type AppContext } from "../../lib/context/app-context";

export function installTestApp(db: Database, env: Record<string, string> = {}): AppContext {
  const parsed = loadConfig({ NODE_ENV: "test", ...env });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const app: AppContext = {
    config: parsed.config,
    db,
    logger: createLogger({ level: "error", sink: () => undefined }),
    metrics: createMetrics(),
    sessionKey: "test-session-key-0123456789abcdef0123456789",
    instanceId: "test-instance",
    version: "test",
    startedAt: new Date(),
  };
  setAppContext(app);
  return app;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type Call = { method?: string; path: string; body?: unknown; token?: string; cookie?: string; origin?: string; params?: Record<string, string>; headers?: Record<string, string> };

export async function callRoute(handler: Handler, call: Call): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { host: "localhost:3000", "x-request-id": "test-req" };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.cookie) headers.cookie = call.cookie;
  if (call.origin) headers.origin = call.origin;
  Object.assign(headers, call.headers);
  const req = new Request(`http://localhost:3000${call.path}`, {
    method: call.method ?? "GET",
    headers,
    body: call.body === undefined ? undefined : typeof call.body === "string" ? call.body : JSON.stringify(call.body),
  });
  const res = await handler(req, { params: Promise.resolve(call.params ?? {}) });
  return { status: res.status, json: await res.json().catch(() => null), headers: res.headers };
}
