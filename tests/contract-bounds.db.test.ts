// Walks every operation of the API contract and sends malformed values in each field of its query, path
// and body, and malformed session cookies, through the real route handlers: the answer is a 4xx with an error
// code and message (a 400 naming the field when the value is invalid), never a 500, and the server still
// answers afterwards. Operations come from `api`; only the good example bodies
// are written here, and a test fails when an operation with a body has none.
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { api, type Operation } from "../lib/api/core/contract";
import { findUnsafeValue, isSafeText } from "../lib/api/core/fields";
import { SCOPES, SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Handler = Parameters<typeof callRoute>[0];
type Answer = Awaited<ReturnType<typeof callRoute>>;

const availability = {
  name: "bounds-availability", service: "checkout",
  sli: { kind: "availability", selector: { service: "checkout", spanKind: "server" } },
  objectivePercent: 99.9, window: { type: "rolling", durationDays: 30 },
};

/** A request each operation would accept (or answer 4xx for a domain reason): the base every bad value is put into. */
const GOOD_BODY: Record<string, Json> = {
  login: { email: "nobody@example.com", password: "not-the-password" },
  createToken: { name: "bounds", scopes: ["read"] },
  createUser: { email: "bounds@example.com", name: "Bounds", role: "viewer", password: "a-long-enough-password" },
  updateUser: { role: "viewer" },
  createSlo: availability,
  replaceSlo: availability,
  applySlos: { definitions: [availability], dryRun: true },
  createWebhook: { name: "bounds", url: "http://hooks.example.com/alerts", services: ["checkout"] },
  updateWebhook: { name: "bounds", services: ["checkout"] },
  evaluateGate: { services: ["checkout"], version: "1.2.3", dryRun: true },
  flaggerGate: { name: "checkout", namespace: "shop", phase: "Progressing", checksum: "85d557f47b", metadata: { service: "checkout", version: "1.2.3" } },
  saveGatePolicy: { minBudgetRemainingRatio: 0, maxDataAgeMinutes: 10, keySlos: ["bounds-availability"], maxBurnRates: { "60": 14.4 } },
  createGateOverride: { services: ["checkout"], version: "1.2.3", reason: "bounds test override", expiresInMinutes: 5 },
  replaceDetectionThresholds: { defaults: {}, services: { checkout: {} } },
  saveScopeThresholds: { service: "checkout", overrides: {} },
  // A current timestamp, so that every accepted value is really written (an old record is dropped before the database).
  faroCollect: { meta: { app: { name: "console" } }, logs: [{ message: "hello", level: "info", timestamp: new Date().toISOString(), context: { k: "v" } }] },
};

/** A good value for each path parameter name (the resource need not exist: 404 is a fine answer). */
const GOOD_PATH: Record<string, string> = { id: "00000000-0000-4000-8000-000000000000", name: "bounds-availability", traceId: "0af7651916cd43dd8448eb211c80319c" };

const NUL = "a\u0000b";
const LONE_SURROGATE = "a\ud800b";
const TEN_KB = "x".repeat(10_240);
/**
 * Values no text column can hold, refused wherever they reach a handler. A URL cannot carry a lone surrogate (its
 * WTF-8 bytes arrive as U+FFFD), so query cases are judged by the value the handler decodes.
 */
const UNSTORABLE: Json[] = [NUL, LONE_SURROGATE];
const QUERY_BAD: string[] = [...(UNSTORABLE as string[]), TEN_KB, "1e20", String(2n ** 63n), "99999999999999999999", "-1", "NaN", ""];
/** Session cookie values as they go on the wire: malformed escapes, an escaped NUL, garbage, 4 KB. */
const BAD_COOKIES = ["%E0%A4%A", "%", "%00", "a.b.c", "x".repeat(4096)];
/** Query and path values exactly as they go on the wire: malformed escapes, an encoded NUL, an encoded lone surrogate (WTF-8). */
const WIRE_BAD: string[] = ["%E0%A4%A", "%", "a%00b", "a%ED%A0%80b", "%FF%FE"];
const BODY_BAD: Json[] = [...UNSTORABLE, TEN_KB, 1e20, 2 ** 63, -1, "NaN", "1e20", true, null, [], [NUL], ["a", "b"], { nested: { deeper: NUL } }, { nested: { deeper: 1 } }];

/**
 * Operations that take telemetry: like OTLP, they keep a record with a NUL or a lone surrogate in it and store those
 * characters as U+FFFD (lib/db/pg-values.ts) rather than refusing a whole browser batch. The Faro test below proves it.
 */
const CLEANS_UNSTORABLE = new Set(["faroCollect"]);

const ops = Object.entries(api) as [string, Operation][];
const pathParams = (op: Operation) => [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** The object schema under optional/default/pipe wrappers, or null for free-form bodies. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | null {
  let s: unknown = schema;
  for (let i = 0; i < 8 && s; i++) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
    const def = (s as { _zod?: { def?: { in?: unknown; innerType?: unknown } } })._zod?.def;
    s = def?.in ?? def?.innerType;
  }
  return null;
}

/** Every JSON path of a good body: top-level keys from the schema (set even when the example omits them) and every leaf of the example. */
function bodyPaths(op: Operation, good: Json): string[][] {
  const paths = new Map<string, string[]>();
  const add = (p: string[]) => paths.set(JSON.stringify(p), p);
  for (const key of Object.keys(objectShape(op.body) ?? {})) add([key]);
  const walk = (v: Json, p: string[]) => {
    if (p.length > 0) add(p);
    if (v !== null && typeof v === "object") for (const [k, child] of Object.entries(v)) walk(child, [...p, k]);
  };
  walk(good, []);
  return [...paths.values()];
}

function withValue(good: Json, path: string[], value: Json): Json {
  const copy = structuredClone(good) as Record<string, Json>;
  let at: Record<string, Json> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, Json>;
  at[path.at(-1)!] = value;
  return copy;
}

/**
 * Percent-encodes a value for a URL, code unit by code unit: a lone surrogate goes out as its WTF-8 bytes, which is
 * the nearest a client can come to sending one (a URL parser decodes them to U+FFFD).
 */
function wire(value: string): string {
  let out = "";
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0xd800 || cp > 0xdfff) out += encodeURIComponent(ch);
    else out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
  }
  return out;
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
};

async function handlerOf(op: Operation): Promise<Handler> {
  const file = resolve(import.meta.dirname, `../app${op.path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`);
  const mod = (await import(file)) as Record<string, Handler>;
  const handler = mod[op.method];
  if (!handler) throw new Error(`${file} exports no ${op.method}`);
  return handler;
}

type Case = { op: string; where: string; value: unknown; mustRefuse: boolean; expectStatus?: number; call: () => Promise<Answer> };

function expectGoodAnswer(c: Case, r: Answer) {
  const label = `${c.op} ${c.where}=${show(c.value)} → ${r.status} ${JSON.stringify(r.json)?.slice(0, 200)}`;
  expect(r.status, label).toBeLessThan(500);
  if (c.expectStatus !== undefined) expect(r.status, label).toBe(c.expectStatus);
  if (c.mustRefuse) {
    // Refused as invalid input, and the reason names the field (not, say, a 404 or a throttle that hides a gap).
    expect(r.status, label).toBe(400);
    const field = c.where.replace(" (twice)", "").split(".").at(-1)!;
    if (field !== "body") expect(JSON.stringify(r.json?.error), label).toContain(field);
  }
  if (r.status >= 400) {
    expect(typeof r.json?.error?.code, label).toBe("string");
    expect(typeof r.json?.error?.message, label).toBe("string");
  }
}

describe("the walk covers the contract", () => {
  it("has a good body for every operation with a body, and a good value for every path parameter", () => {
    expect(ops.filter(([name, op]) => op.body && GOOD_BODY[name] === undefined).map(([n]) => n)).toEqual([]);
    expect(ops.flatMap(([, op]) => pathParams(op)).filter((p) => GOOD_PATH[p] === undefined)).toEqual([]);
  });
});

describeEachDatabase("API contract bounds every field", ({ kind, db }) => {
  let token = "";
  beforeAll(async () => {
    // No Faro rate limit here: a 429 would pass for a refusal and hide a value that got through.
    installTestApp(db(), { TAILGUARD_FARO_RATE_PER_S: "100000" });
    token = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "bounds-admin", scopes: [...SCOPES] })).secret;
  });

  /** The cases of one operation: each query, path and body field with each bad value (PostgreSQL: the unstorable ones). */
  function sender(name: string, op: Operation, handler: Handler) {
    const good = GOOD_BODY[name];
    /** `search` is the query string as sent; `path` holds the path parameters as the router decoded them. */
    return (search: string, path: Record<string, string>, body?: Json, cookie?: string) => () => {
      const url = op.path.replace(/\{(\w+)\}/g, (_, p: string) => wire(path[p]!));
      // With a cookie, the request is a browser's: no token, and the console's own Origin.
      const credentials = cookie === undefined ? { token } : { cookie, origin: "http://localhost:3000" };
      return callRoute(handler, { method: op.method, path: search ? `${url}?${search}` : url, ...credentials, params: path, body: op.body ? (body ?? good ?? {}) : undefined });
    };
  }
  const goodParams = (op: Operation) => Object.fromEntries(pathParams(op).map((p) => [p, GOOD_PATH[p]!]));

  function casesOf(name: string, op: Operation, handler: Handler): Case[] {
    const cases: Case[] = [];
    const params = goodParams(op);
    const good = GOOD_BODY[name];
    const send = sender(name, op, handler);
    const queryBad = kind === "postgres" ? (UNSTORABLE as string[]) : QUERY_BAD;
    const bodyBad = kind === "postgres" ? UNSTORABLE : BODY_BAD;
    const cleans = CLEANS_UNSTORABLE.has(name);
    const queryShape = { ...objectShape(op.params), ...objectShape(op.query) };
    const refuses = (field: string, value: string) => !isSafeText(value) || !queryShape[field]!.safeParse(value).success;
    for (const field of Object.keys(queryShape)) {
      const isPath = field in params;
      // A path parameter arrives decoded by the router (which answers 400 itself when it cannot decode one), so
      // any string can reach the handler; a query value is judged as the handler will see it after URL decoding.
      if (isPath) {
        for (const value of queryBad) cases.push({ op: name, where: `path.${field}`, value, mustRefuse: refuses(field, value), call: send("", { ...params, [field]: value }) });
        continue;
      }
      for (const search of [...queryBad.map((v) => `${field}=${wire(v)}`), ...WIRE_BAD.map((v) => `${field}=${v}`)]) {
        const value = new URLSearchParams(search).get(field)!;
        cases.push({ op: name, where: `query.${field}`, value: search, mustRefuse: refuses(field, value), call: send(search, params) });
      }
      cases.push({ op: name, where: `query.${field} (twice)`, value: ["1", "2"], mustRefuse: true, call: send(`${field}=1&${field}=2`, params) });
    }
    if (op.body) {
      const bodyShape = objectShape(op.body) ?? {};
      for (const path of bodyPaths(op, good ?? {})) {
        for (const value of bodyBad) {
          const fieldSchema = path.length === 1 ? bodyShape[path[0]!] : undefined;
          const unstorable = findUnsafeValue(value) !== null;
          const mustRefuse = (unstorable && !cleans) || (fieldSchema !== undefined && !fieldSchema.safeParse(value).success);
          cases.push({ op: name, where: `body.${path.join(".")}`, value, mustRefuse, call: send("", params, withValue(good ?? {}, path, value)) });
        }
      }
      for (const value of bodyBad) cases.push({ op: name, where: "body", value, mustRefuse: false, call: send("", params, value) });
    }
    // A malformed session cookie is no session: an operation that needs one answers 401, a public one as without it.
    for (const value of BAD_COOKIES) {
      cases.push({ op: name, where: "cookie.tg_session", value, mustRefuse: false, expectStatus: op.scope === "public" ? undefined : 401, call: send("", params, undefined, `tg_session=${value}`) });
    }
    return cases;
  }

  const counts = { operations: 0, fields: 0, requests: 0 };
  for (const [name, op] of ops) {
    it(`${name}: ${op.method} ${op.path}`, async () => {
      const handler = await handlerOf(op);
      const cases = casesOf(name, op, handler);
      for (const c of cases) expectGoodAnswer(c, await c.call());
      // The server still answers a good request to the same operation, and the status endpoint.
      const after = await sender(name, op, handler)("", goodParams(op))();
      expect(after.status, `${name} good request after the bad ones: ${JSON.stringify(after.json)?.slice(0, 200)}`).toBeLessThan(500);
      counts.operations += 1;
      counts.fields += new Set(cases.map((c) => c.where.replace(" (twice)", ""))).size;
      counts.requests += cases.length;
    });
  }

  it("stores NUL and lone surrogates in Faro telemetry as U+FFFD instead of refusing the batch", async () => {
    const faro = await handlerOf(api.faroCollect);
    const body = {
      meta: { app: { name: "bounds\u0000faro" } },
      logs: [{ message: "nul\u0000 and \ud800 lone", level: "info", timestamp: new Date().toISOString(), context: { ["k\u0000"]: "v\udc00" } }],
    };
    const r = await callRoute(faro, { method: "POST", path: "/api/faro/collect", token, body });
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    expect(r.json.accepted.logRecords).toBe(1);
    expect(r.json.rejected).toBe(0);
    const rows = await db().sql.query<{ service: string; body_text: string; attributes: unknown }>(`SELECT service, body_text, attributes FROM logs WHERE service LIKE 'bounds%faro'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.service).toBe("bounds\uFFFDfaro");
    expect(rows[0]!.body_text).toBe("nul\uFFFD and \uFFFD lone");
    expect(JSON.stringify(rows[0]!.attributes)).toContain('"k\uFFFD":"v\uFFFD"');
  });

  it("still answers /status after the walk", async () => {
    const status = await callRoute(await handlerOf(api.status), { path: "/api/v1/status", token });
    expect(status.status).toBe(200);
    console.info(`contract bounds [${kind}]: ${counts.operations} operations, ${counts.fields} fields, ${counts.requests} malformed requests`);
  });
});
