// The session chokepoint on the real process in `next dev` mode (the production build is covered by
// e2e/session-chokepoint.spec.ts): every console page found under app/ is refused without a session,
// while the login page and the dev server's own assets still load.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoutes } from "./helpers/app-routes";
import { startTailguardServer, type RunningTailguard } from "./helpers/tailguard-server";

const SERVICE = "chokepoint-dev-secret-svc";
const TRACE = "d0d0cafe00000000d0d0cafe00000001";
const JOB = "job-chokepoint-dev-1";
const PASSWORD = "dev-chokepoint-password";
const pages = appRoutes({ name: SERVICE, traceId: TRACE, id: JOB }).filter((r) => !r.pattern.startsWith("/api/") && r.pattern !== "/login");

function flightHeaders(path: string): Record<string, string> {
  const other = path.split("/")[1] === "signals" ? "services" : "signals";
  const tree = ["", { children: ["(console)", { children: [other, { children: ["__PAGE__", {}] }] }] }];
  return { rsc: "1", "next-router-state-tree": encodeURIComponent(JSON.stringify(tree)) };
}

const kv = (attrs: Record<string, string | number>) => Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));
function traceBody() {
  const start = (BigInt(Date.now()) - 30_000n) * 1_000_000n;
  return {
    resourceSpans: [{ resource: { attributes: kv({ "service.name": SERVICE }) }, scopeSpans: [{ spans: [{
      traceId: TRACE, spanId: "d0d0cafe00000002", parentSpanId: "", name: "POST /v1/render", kind: 2,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + 42_000_000n),
      attributes: kv({ "http.route": "/v1/render", "http.response.status_code": 200, "job.id": JOB }), status: { code: 0, message: "" },
    }] }] }],
  };
}

describe("session chokepoint (next dev)", () => {
  let server: RunningTailguard;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.webUrl}${path}`, { headers, redirect: "manual" });

  beforeAll(async () => {
    server = await startTailguardServer({ env: { TAILGUARD_ADMIN_EMAIL: "admin@dev.test", TAILGUARD_ADMIN_PASSWORD: PASSWORD } });
    const sent = await fetch(`${server.otlpHttpUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(traceBody()) });
    expect(sent.status).toBe(200);
  }, 120_000);
  afterAll(async () => server?.stop());

  it("finds the console pages under app/", () => {
    expect(pages.map((p) => p.pattern)).toEqual(expect.arrayContaining(["/", "/services", "/services/[name]", "/jobs/[id]", "/signals/[id]", "/traces/[traceId]"]));
  });

  it("refuses every console page, flight payload and action without a valid session", async () => {
    const failures: string[] = [];
    for (const { path } of pages) {
      const cases: [string, RequestInit & { headers: Record<string, string> }, number][] = [
        [path, { headers: {} }, 307],
        [path, { headers: { cookie: "tg_session=%E0%A4%A" } }, 307],
        [path, { headers: flightHeaders(path) }, 401],
        [`${path}?_rsc=x`, { headers: { ...flightHeaders(path), cookie: "tg_session=%E0%A4%A" } }, 401],
        [path, { method: "POST", headers: { "next-action": "00".repeat(21), "content-type": "text/plain;charset=UTF-8" }, body: "[]" }, 401],
      ];
      for (const [url, init, expected] of cases) {
        const res = await fetch(`${server.webUrl}${url}`, { ...init, redirect: "manual" });
        const text = await res.text();
        const where = `${init.method ?? "GET"} ${url} ${JSON.stringify(init.headers)}`;
        if (res.status !== expected) failures.push(`${where}: ${res.status}, expected ${expected}`);
        if (expected === 307 && !res.headers.get("location")?.startsWith("/login")) failures.push(`${where}: location ${res.headers.get("location")}`);
        for (const secret of [SERVICE, TRACE, JOB]) if (text.includes(secret)) failures.push(`${where}: shows ${secret}`);
      }
    }
    expect(failures).toEqual([]);
  // Without the chokepoint next dev compiles and renders every page (about 150 s here): let that fail on its list.
  }, 300_000);

  it("serves the login page and the dev server's assets without a session", async () => {
    const login = await get("/login");
    expect(login.status).toBe(200);
    const html = await login.text();
    const asset = /(?:src|href)="(\/_next\/[^"]+)"/.exec(html)?.[1];
    expect(asset, "the login page links a /_next/ asset").toBeDefined();
    expect((await get(asset!.replaceAll("&amp;", "&"))).status).toBe(200);
  }, 180_000);

  it("lets a logged-in user's flight request through, with the data", async () => {
    const login = await fetch(`${server.webUrl}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "admin@dev.test", password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    await expect.poll(async () => (await get("/api/v1/services", { cookie })).text(), { timeout: 30_000 }).toContain(SERVICE);
    let res = await get("/services", { ...flightHeaders("/services"), cookie });
    // Next.js first redirects a flight request to its cache-busting `?_rsc=` URL.
    if (res.status === 307) res = await get(res.headers.get("location")!, { ...flightHeaders("/services"), cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(SERVICE);
  }, 240_000);

  it("labels request metrics by route pattern: /metrics names no service, trace or job it was asked about", async () => {
    const metrics = await (await get("/metrics")).text();
    expect(metrics).toContain('route="/services/[name]"');
    for (const secret of [SERVICE, TRACE, JOB]) expect(metrics).not.toContain(secret);
  });
});
