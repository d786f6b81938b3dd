// Issue #13: the console's session is checked at one chokepoint for every request. The page list is
// generated from app/, so a page added later is covered here without anyone remembering to add it.
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { appRoutes } from "../tests/helpers/app-routes";
import { expect, submitLogin, test } from "./fixtures";

const SERVICE = "chokepoint-secret-svc";
const TRACE = "c0ffee00c0ffee00c0ffee00c0ffee01";
const JOB = "job-chokepoint-5e11";
const SECRETS = [SERVICE, TRACE, JOB];
const MALFORMED_COOKIE = "tg_session=%E0%A4%A";

const routes = appRoutes({ name: SERVICE, traceId: TRACE, id: JOB });
const consolePages = routes.filter((r) => !r.pattern.startsWith("/api/") && r.pattern !== "/login");

// The client router's state when it already shows another console page: the (console) layout is on
// screen, so Next.js renders only the requested page, never the layout and its requireUser().
function flightHeaders(path: string): Record<string, string> {
  const first = path.split("/")[1] ?? "";
  const other = first === "signals" ? "services" : "signals";
  const tree = ["", { children: ["(console)", { children: [other, { children: ["__PAGE__", {}] }] }] }];
  return { RSC: "1", "Next-Router-State-Tree": encodeURIComponent(JSON.stringify(tree)) };
}

// Follows redirects by hand, resending the same headers, as the reproduction in the issue did.
async function fetchChain(ctx: APIRequestContext, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ res: APIResponse; text: string }[]> {
  const chain: { res: APIResponse; text: string }[] = [];
  let url = path;
  for (let hop = 0; hop < 4; hop++) {
    const res = await ctx.fetch(url, { method: hop === 0 ? method : "GET", headers, data: hop === 0 ? body : undefined, maxRedirects: 0 });
    chain.push({ res, text: await res.text() });
    const location = res.headers()["location"];
    if (res.status() < 300 || res.status() >= 400 || !location) break;
    const target = new URL(location, res.url());
    url = target.pathname + target.search;
  }
  return chain;
}

function trace() {
  const now = BigInt(Date.now()) * 1_000_000n;
  const start = now - 30_000_000_000n;
  const attrs = { "http.route": "/v1/render", "http.response.status_code": 200, "job.id": JOB };
  return {
    resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: SERVICE } }] }, scopeSpans: [{ spans: [{
      traceId: TRACE, spanId: "c0ffee00c0ffee02", parentSpanId: "", name: "POST /v1/render", kind: 2,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + 42_000_000n),
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } })),
      status: { code: 0, message: "" },
    }] }] }],
  };
}

let anonymous: APIRequestContext;
let loggedIn: APIRequestContext;

test.beforeAll(async ({ playwright, tailguard }) => {
  const sent = await (await playwright.request.newContext()).post(`${tailguard.otlpHttpURL}/v1/traces`, { data: trace(), headers: { authorization: `Bearer ${tailguard.token}` } });
  expect(sent.status()).toBe(200);
  anonymous = await playwright.request.newContext({ baseURL: tailguard.baseURL });
  loggedIn = await playwright.request.newContext({ baseURL: tailguard.baseURL });
  const login = await loggedIn.post("/api/v1/auth/login", { data: tailguard.admin });
  expect(login.status()).toBe(200);
  // The pages below must have the service to show, or "no data in the body" would prove nothing.
  await expect.poll(async () => (await loggedIn.get("/api/v1/services")).text(), { timeout: 45_000 }).toContain(SERVICE);
});

test.afterAll(async () => {
  await anonymous?.dispose();
  await loggedIn?.dispose();
});

test("the generated page list covers the console", () => {
  expect(consolePages.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/", "/services", "/services/[name]", "/jobs", "/jobs/[id]", "/signals", "/signals/[id]", "/traces/[traceId]"]));
});

test("without a valid session no console page, flight payload or server action answers with data", async () => {
  const failures: string[] = [];
  for (const { path } of consolePages) {
    const flight = flightHeaders(path);
    const cases: { name: string; method: string; url: string; headers: Record<string, string>; body?: string; expect: 307 | 401 }[] = [
      { name: "page", method: "GET", url: path, headers: {}, expect: 307 },
      { name: "page, malformed cookie", method: "GET", url: path, headers: { cookie: MALFORMED_COOKIE }, expect: 307 },
      { name: "page, forged cookie", method: "GET", url: path, headers: { cookie: "tg_session=forged.c2lnbmF0dXJl" }, expect: 307 },
      { name: "flight", method: "GET", url: path, headers: flight, expect: 401 },
      { name: "flight ?_rsc", method: "GET", url: `${path}?_rsc=x`, headers: flight, expect: 401 },
      { name: "?_rsc alone", method: "GET", url: `${path}?_rsc=x`, headers: {}, expect: 401 },
      { name: "flight, malformed cookie", method: "GET", url: path, headers: { ...flight, cookie: MALFORMED_COOKIE }, expect: 401 },
      { name: "prefetch", method: "GET", url: path, headers: { RSC: "1", "Next-Router-Prefetch": "1" }, expect: 401 },
      { name: "server action", method: "POST", url: path, headers: { "Next-Action": "00".repeat(21), "content-type": "text/plain;charset=UTF-8" }, body: "[]", expect: 401 },
    ];
    for (const c of cases) {
      const chain = await fetchChain(anonymous, c.method, c.url, c.headers, c.body);
      const first = chain[0]!;
      const where = `${c.method} ${c.url} (${c.name})`;
      if (first.res.status() !== c.expect) failures.push(`${where}: status ${first.res.status()}, expected ${c.expect}`);
      if (c.expect === 307 && !/^\/login(\?next=[^&]+)?$/.test(first.res.headers()["location"] ?? "")) failures.push(`${where}: location ${first.res.headers()["location"]}`);
      if (c.expect === 401 && !first.text.includes('"code":"unauthenticated"')) failures.push(`${where}: body is not the 401 error`);
      // After the redirect the login page may echo the requested path in `next`, which is the caller's own input.
      for (const [hop, { text }] of chain.entries()) {
        for (const secret of SECRETS) if (text.includes(secret) && (hop === 0 || !c.url.includes(secret))) failures.push(`${where}: hop ${hop} shows ${secret}`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test("the reproduction from the issue is closed: following the flight redirect ends in 401", async () => {
  for (const path of ["/services", `/services/${SERVICE}`, `/traces/${TRACE}`]) {
    const res = await anonymous.get(path, { headers: flightHeaders(path) });
    expect(res.status(), path).toBe(401);
    expect(await res.text()).not.toContain(SERVICE);
  }
});

test("a plain visit remembers where it was going, and only same-site paths", async () => {
  const res = await anonymous.get("/services?range=1h", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  expect(res.headers()["location"]).toBe("/login?next=%2Fservices%3Frange%3D1h");
  expect((await anonymous.get("/", { maxRedirects: 0 })).headers()["location"]).toBe("/login");
});

test("with a session every console page renders, and its flight payload carries the data", async () => {
  for (const { pattern, path } of consolePages) {
    const res = await loggedIn.get(path, { maxRedirects: 0 });
    // A parameter naming nothing that exists is a 404; a page without parameters always renders.
    expect(pattern.includes("[") ? [200, 404] : [200], `${path}: ${res.status()}`).toContain(res.status());
  }
  for (const path of ["/services", `/services/${SERVICE}`, `/traces/${TRACE}`]) {
    const chain = await fetchChain(loggedIn, "GET", path, flightHeaders(path));
    const last = chain.at(-1)!;
    expect(last.res.status(), path).toBe(200);
    expect(last.res.headers()["content-type"], path).toContain("text/x-component");
    expect(last.text, path).toContain(SERVICE);
  }
});

test("every API route still answers 401 without a caller, and a malformed cookie is no session, not a 500", async ({ tailguard }) => {
  const { readFileSync } = await import("node:fs");
  const failures: string[] = [];
  for (const r of routes.filter((x) => x.kind === "route" && x.pattern.startsWith("/api/"))) {
    if (!/export\s+const\s+GET\b/.test(readFileSync(r.file, "utf8"))) continue;
    const expected = r.pattern === "/api/v1/openapi.json" ? 200 : 401;
    for (const headers of [{}, { cookie: MALFORMED_COOKIE }] as Record<string, string>[]) {
      const res = await anonymous.get(r.path, { headers, maxRedirects: 0 });
      if (res.status() !== expected) failures.push(`GET ${r.path} ${JSON.stringify(headers)}: ${res.status()}, expected ${expected}`);
    }
  }
  expect(failures).toEqual([]);
  const login = await anonymous.post("/api/v1/auth/login", { headers: { cookie: MALFORMED_COOKIE }, data: tailguard.admin });
  expect(login.status()).toBe(200);
  const me = await anonymous.get("/api/v1/auth/me", { headers: { cookie: MALFORMED_COOKIE } });
  expect(me.status()).toBe(401);
});

test("after logging in from a deep link the browser lands where it was going", async ({ page, tailguard }) => {
  await page.goto("/services");
  await expect(page).toHaveURL(/\/login\?next=%2Fservices$/);
  await submitLogin(page, tailguard.admin);
  await expect(page.getByRole("heading", { level: 1, name: "Services" })).toBeVisible();
  await expect(page).toHaveURL(/\/services$/);
  // Logging out and navigating client-side gets the 401 flight answer, and the router falls back to the login page.
  await page.context().clearCookies();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Signals" }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fsignals$/);
});
