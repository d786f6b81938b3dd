// The malformed requests of issue #13 (defect 8), each as it was reported: every one answered 500 or stalled before
// the contract bounded its fields. The contract-wide walk (contract-bounds.db.test.ts) generalises them.
import { beforeAll, expect, it } from "vitest";
import * as login from "../app/api/v1/auth/login/route";
import * as me from "../app/api/v1/auth/me/route";
import * as evaluateGate from "../app/api/v1/gates/evaluate/route";
import * as job from "../app/api/v1/jobs/[id]/route";
import * as jobs from "../app/api/v1/jobs/route";
import * as services from "../app/api/v1/services/route";
import * as signals from "../app/api/v1/signals/route";
import * as applySlos from "../app/api/v1/slos/apply/route";
import * as slos from "../app/api/v1/slos/route";
import { SCOPES, SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { createUser } from "../lib/auth/store/users";
import { callRoute, installTestApp, type Call } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

type Handler = Parameters<typeof callRoute>[0];

const cursor = (lastSeen: string) => Buffer.from(JSON.stringify([lastSeen, "job-1"])).toString("base64url");
const slo = (service: string) => ({
  name: "nul-service", service, objectivePercent: 99, window: { type: "rolling", durationDays: 7 },
  sli: { kind: "availability", selector: { service, spanKind: "server" } },
});

// Each anchor refers to the one before ten times: 10^9 copies of "lol" if the aliases were expanded.
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    return `${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`;
  }),
  "i: *i",
].join("\n").replace("i: *i", "spec: *i");

// [what the issue reported, handler, request, what the message must say]
const rows: [string, Handler, Omit<Call, "token">, RegExp?][] = [
  ["NUL in jobs?q=", jobs.GET, { path: "/api/v1/jobs?q=a%00b" }, /query\.q/],
  ["jobs/a%00b", job.GET, { path: "/api/v1/jobs/a%00b", params: { id: "a\u0000b" } }, /path\.id/],
  ["NUL in signals?service=", signals.GET, { path: "/api/v1/signals?service=a%00b" }, /query\.service/],
  ["NUL in the gate's service", evaluateGate.POST, { method: "POST", path: "/api/v1/gates/evaluate", body: { service: "a\u0000b", version: "1" } }, /body\.service/],
  ["NUL in an SLO's service", slos.POST, { method: "POST", path: "/api/v1/slos", body: slo("a\u0000b") }, /body\.service/],
  ["jobs?minE2eMs=1e20", jobs.GET, { path: "/api/v1/jobs?minE2eMs=1e20" }, /minE2eMs/],
  ["jobs?from=99999999999999999999", jobs.GET, { path: "/api/v1/jobs?from=99999999999999999999" }, /from/],
  ["a 20-digit cursor", jobs.GET, { path: `/api/v1/jobs?cursor=${cursor("99999999999999999999")}` }, /cursor/],
  ["a 19-digit cursor past bigint", jobs.GET, { path: `/api/v1/jobs?cursor=${cursor("9999999999999999999")}` }, /cursor/],
  ["services?to=9999…", services.GET, { path: "/api/v1/services?to=99999999999999999999" }, /query\.to/],
  ["services?from=8.64e15+1 ms", services.GET, { path: "/api/v1/services?from=8640000000000001" }, /query\.from/],
  ["a YAML alias bomb to slos/apply", applySlos.POST, { method: "POST", path: "/api/v1/slos/apply", body: { yaml: ALIAS_BOMB, dryRun: true } }, /alias/i],
];

describeEachDatabase("malformed input from issue #13", ({ db }) => {
  let token = "";
  beforeAll(async () => {
    installTestApp(db());
    token = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "malformed", scopes: [...SCOPES] })).secret;
    await createUser({ db: db(), actor: SYSTEM_ACTOR, requestId: "test" }, { email: "cookie@example.com", name: "Cookie", role: "viewer", password: "a-long-enough-password" });
  });

  it.each(rows)("%s → 400 naming the problem", async (_what, handler, call, says) => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const r = await callRoute(handler, { ...call, token });
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error.message).toMatch(says ?? /\S/);
    // Bounded work for the alias bomb (and everything else): expanded, it would be gigabytes.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops reading a JSON body at 1 MB instead of buffering all of it", async () => {
    let pulledBytes = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulledBytes >= 100_000_000) return controller.close();
        pulledBytes += 65_536;
        controller.enqueue(new Uint8Array(65_536).fill(0x20));
      },
    });
    const headers = { host: "localhost:3000", authorization: `Bearer ${token}`, "content-type": "application/json" };
    const req = new Request("http://localhost:3000/api/v1/slos", { method: "POST", body, headers, duplex: "half" } as RequestInit);
    const res = await slos.POST(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
    expect(pulledBytes).toBeLessThan(2_000_000);
  });

  const cookies: [string, string][] = [["%E0%A4%A", "%E0%A4%A"], ["a lone %", "%"], ["%00", "%00"], ["a.b.c", "a.b.c"], ["4 KB", "x".repeat(4096)]];
  it.each(cookies)("a malformed session cookie (%s) is no session: /auth/me 401, login still works", async (_label, value) => {
    const cookie = `tg_session=${value}`;
    const who = await callRoute(me.GET, { path: "/api/v1/auth/me", cookie });
    expect(who.status, JSON.stringify(who.json)).toBe(401);
    const wrong = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", cookie, origin: "http://localhost:3000", body: { email: "cookie@example.com", password: "wrong-password" } });
    expect(wrong.status, JSON.stringify(wrong.json)).toBe(401);
    const right = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", cookie, origin: "http://localhost:3000", body: { email: "cookie@example.com", password: "a-long-enough-password" } });
    expect(right.status, JSON.stringify(right.json)).toBe(200);
  });
});
