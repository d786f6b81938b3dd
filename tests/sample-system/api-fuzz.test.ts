// The sample API answers hostile input on every route with a 4xx and a JSON reason (413/431 for
// oversized parts), never with a dropped connection or a dead process, and keeps serving afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleSystem, type SampleSystemHandle } from "../../sample-system/index";
import { rawRequest, sendRaw, type RawAnswer } from "../helpers/raw-http";
import { spawnUntil } from "../helpers/spawn-until";

type Case = { name: string; request: Buffer; status?: number; code?: string };
type RouteUnderTest = { method: string; route: string; target: (suffix: string) => string; takesBody: boolean };

const MB = 1024 * 1024;
const UUID = "3f1e9c1a-5d2b-4c7e-9a10-2b3c4d5e6f70";
const ROUTES: RouteUnderTest[] = [
  { method: "POST", route: "/v1/jobs", target: (s) => `/v1/jobs${s}`, takesBody: true },
  { method: "GET", route: "/v1/jobs/:id", target: (s) => `/v1/jobs/${s === "" ? UUID : s}`, takesBody: false },
  { method: "GET", route: "/healthz", target: (s) => `/healthz${s}`, takesBody: false },
];
const VALID_BODY = '{"prompt":"a lighthouse at dusk"}';
const JSON_TYPE: [string, string] = ["content-type", "application/json"];

// A fixed seed: a failing random case is the same case on the next run.
function randomBytesSeeded(seed: number): (n: number) => Buffer {
  let a = seed >>> 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

function casesFor(r: RouteUnderTest): Case[] {
  const req = (name: string, parts: Parameters<typeof rawRequest>[0], expect: Omit<Case, "name" | "request"> = {}): Case => ({ name: `${r.method} ${r.route}: ${name}`, request: rawRequest({ method: r.method, ...parts }), ...expect });
  // What a body-less route answers to a body: 400 body_not_allowed, whatever the body is.
  const bodyCase = (name: string, body: string | Buffer, expectPost: Omit<Case, "name" | "request">, headers: Array<[string, string]> = [JSON_TYPE]) =>
    req(name, { target: r.target(""), headers, body }, r.takesBody ? expectPost : { status: 400, code: "body_not_allowed" });
  const random = randomBytesSeeded(r.route.length * 7919);
  const cases: Case[] = [];

  for (const escape of ["%E0%A4%A", "%", "%zz", "%C0%AF", "%ED%A0%80", "%FF", "x%E0%A4%A/y"]) {
    cases.push(req(`malformed escape ${escape}`, { target: r.target(escape) }, { status: 400, code: "invalid_path_encoding" }));
  }

  for (const control of ["%01", "%1F", "%7F", "%0D%0A", "%09"]) {
    cases.push(req(`control character ${control} in the path`, { target: r.target(`a${control}b`) }, { status: 400, code: "invalid_path" }));
  }
  cases.push(req("raw control byte in the target", { target: Buffer.from(r.target("a\u0001b")) }, { status: 400 }));
  cases.push(req("control byte in a header value", { target: r.target(""), headers: [["x-client-id", Buffer.from("a\u0001b")]] }, { status: 400 }));
  cases.push(req("raw NUL in the target", { target: Buffer.from(r.target("a\u0000b")) }, { status: 400 }));
  cases.push(req("%00 in the path", { target: r.target("%00") }, { status: 400, code: "invalid_path" }));
  cases.push(req("NUL in a header value", { target: r.target(""), headers: [["x-client-id", Buffer.from("a\u0000b")]] }, { status: 400 }));
  cases.push(bodyCase("NUL in a JSON string", '{"prompt":"a\\u0000b"}', { status: 400, code: "invalid_request" }));

  cases.push(req("1 MB path", { target: r.target(`/${"a".repeat(MB)}`) }, { status: 431 }));
  cases.push(req("1 MB header", { target: r.target(""), headers: [["x-filler", "a".repeat(MB)]] }, { status: 431 }));
  cases.push(req("many headers totalling 1 MB", { target: r.target(""), headers: Array.from({ length: 1024 }, (_, i): [string, string] => [`x-h${i}`, "b".repeat(1000)]) }, { status: 431 }));
  cases.push(bodyCase("1 MB body", JSON.stringify({ prompt: "c".repeat(MB) }), { status: 413, code: "payload_too_large" }));

  for (const body of ["{", "not json", '{"prompt":"a",}', Buffer.from([0xff, 0xfe, 0xfd])]) {
    cases.push(bodyCase(`invalid JSON ${JSON.stringify(body.toString("latin1"))}`, body, { status: 400, code: "invalid_json" }));
  }

  for (const body of ['{"prompt":5}', "[]", "null", '"a prompt"', '{"prompt":"a","steps":"30"}', '{"prompt":"a","steps":1e400}', '{"prompt":"a","simulate":"yes"}', '{"prompt":"a","user_id":42}', '{"prompt":{"$gt":""}}']) {
    cases.push(bodyCase(`wrong type ${body}`, body, { status: 400, code: "invalid_request" }));
  }
  // Strings PostgreSQL text/jsonb cannot store must be refused as input, not fail later as a 500.
  for (const body of ['{"prompt":"a\\ud800b"}', '{"prompt":"\\udc00"}', '{"prompt":"a","model":"m\\ud83d"}']) {
    cases.push(bodyCase(`lone surrogate ${body}`, body, { status: 400, code: "invalid_request" }));
  }
  cases.push(bodyCase("10 KB prompt", JSON.stringify({ prompt: "p".repeat(10_000) }), { status: 400, code: "invalid_request" }));
  cases.push(bodyCase("deeply nested JSON", `{"prompt":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, { status: 400, code: "invalid_request" }));
  cases.push(bodyCase("__proto__ member", '{"prompt":"a","__proto__":{"steps":1}}', { status: 400, code: "invalid_request" }));
  cases.push(bodyCase("NaN and Infinity", '{"prompt":"a","steps":NaN}', { status: 400, code: "invalid_json" }));
  cases.push(bodyCase("2^63 steps", '{"prompt":"a","steps":9223372036854775808}', { status: 400, code: "invalid_request" }));
  cases.push(bodyCase("negative steps", '{"prompt":"a","steps":-1}', { status: 400, code: "invalid_request" }));
  if (r.takesBody) {
    cases.push(req("10 KB Idempotency-Key", { target: r.target(""), headers: [JSON_TYPE, ["idempotency-key", "k".repeat(10_000)]], body: VALID_BODY }, { status: 400, code: "invalid_idempotency_key" }));
    cases.push(req("chunked body over the limit", { target: r.target(""), headers: [JSON_TYPE, ["transfer-encoding", "chunked"]], body: `10000\r\n${"a".repeat(0x10000)}\r\n10000\r\n${"a".repeat(0x10000)}\r\n0\r\n\r\n` }, { status: 413, code: "payload_too_large" }));
  }
  cases.push(bodyCase("wrong content type", VALID_BODY, { status: 415, code: "unsupported_media_type" }, [["content-type", "text/plain"]]));
  for (const id of ["123", "true", "null", "%5B%5D", "%7B%7D"]) cases.push(req(`wrong type in the path: ${id}`, { target: r.route.includes(":id") ? r.target(id) : r.target(`/${id}`) }, r.route.includes(":id") ? { status: 400, code: "invalid_job_id" } : {}));
  cases.push(req("wrong method", { method: r.method === "GET" ? "DELETE" : "PUT", target: r.target("") }, { status: 405, code: "method_not_allowed" }));

  for (const header of ["x-client-id", "idempotency-key", "content-type"]) {
    const headers: Array<[string, string]> = header === "content-type" ? [JSON_TYPE, JSON_TYPE] : [[header, "one"], [header, "two"], ...(r.takesBody ? [JSON_TYPE] : [])];
    cases.push(req(`duplicated ${header}`, { target: r.target(""), headers, body: r.takesBody ? VALID_BODY : undefined }, { status: 400, code: "duplicate_header" }));
  }
  cases.push(req("conflicting duplicated content-length", { target: r.target(""), headers: [JSON_TYPE, ["content-length", "2"], ["content-length", "3"]], body: "{}" }, { status: 400 }));
  cases.push(req("duplicated path segments", { target: `${r.target("")}${r.target("")}` }, { status: 404 }));

  for (let i = 0; i < 12; i++) {
    const bytes = random(1 + (i * 37) % 300);
    bytes[0] = 0xff; // never a valid method, JSON value or full UTF-8 sequence at the start
    cases.push({ name: `${r.method} ${r.route}: random bytes as the request #${i}`, request: bytes, status: 400 });
    cases.push(req(`random bytes in the path #${i}`, { target: r.target(`/${[...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")}`) }));
    cases.push(bodyCase(`random bytes as the body #${i}`, bytes, { status: 400, code: "invalid_json" }));
  }
  return cases;
}

describe("sample API under hostile input", () => {
  let system: SampleSystemHandle;
  let artifactsDir: string;
  let target: { host: string; port: number };
  beforeAll(async () => {
    artifactsDir = await mkdtemp(join(tmpdir(), "tg-sample-fuzz-"));
    system = await startSampleSystem({ env: {}, mode: "async", apiPort: 0, metricsPort: null, otlpEndpoint: null, artifactsDir, serviceTime: { distribution: "fixed", ms: 5 }, rateLimit: { ratePerS: 10_000, burst: 10_000 } });
    const url = new URL(system.apiUrl);
    target = { host: url.hostname, port: Number(url.port) };
  });
  afterAll(async () => {
    await system?.stop();
    await rm(artifactsDir, { recursive: true, force: true });
  });

  for (const route of ROUTES) {
    it(`answers every malformed ${route.method} ${route.route} with a 4xx and a JSON reason`, async () => {
      const failures: string[] = [];
      for (const c of casesFor(route)) {
        const answer: RawAnswer = await sendRaw(target, c.request);
        if ("dropped" in answer) {
          failures.push(`${c.name}: connection dropped (${answer.dropped})`);
          continue;
        }
        const code = (() => {
          try {
            return (JSON.parse(answer.body) as { error?: { code?: unknown } }).error?.code;
          } catch {
            return undefined;
          }
        })();
        if (answer.status < 400 || answer.status > 499) failures.push(`${c.name}: ${answer.status} ${answer.body.slice(0, 200)}`);
        else if (c.status !== undefined && answer.status !== c.status) failures.push(`${c.name}: ${answer.status}, expected ${c.status} (${answer.body.slice(0, 200)})`);
        else if (typeof code !== "string") failures.push(`${c.name}: ${answer.status} without a JSON error code (${answer.body.slice(0, 100)})`);
        else if (c.code !== undefined && code !== c.code) failures.push(`${c.name}: code ${code}, expected ${c.code}`);
      }
      expect(failures).toEqual([]);

      const health = await fetch(`${system.apiUrl}/healthz`);
      expect(health.status).toBe(200);
      const created = await fetch(`${system.apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: VALID_BODY });
      expect(created.status).toBe(202);
    });
  }

  it("answers the reported request GET /v1/jobs/%E0%A4%A with 400 and stays up", async () => {
    const res = await fetch(`${system.apiUrl}/v1/jobs/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_path_encoding" } });
    expect((await fetch(`${system.apiUrl}/healthz`)).status).toBe(200);
  });
});

// The same requests against the real process (`npm run sample`), where an escaped rejection ends it.
describe("the sample system's process under hostile input", () => {
  it("answers them and is still running and serving afterwards", { timeout: 120_000 }, async () => {
    const artifactsDir = await mkdtemp(join(tmpdir(), "tg-sample-fuzz-process-"));
    const { AMQP_URL: _amqp, SAMPLE_DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
    const { child, match, output } = await spawnUntil(["--import", "tsx", "sample-system/cli.ts", "--no-load", "--port", "0", "--metrics-port", "0"], /API (http:\/\/127\.0\.0\.1:\d+)/, {
      env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", SAMPLE_ARTIFACTS_DIR: artifactsDir },
    });
    try {
      const apiUrl = match[1]!;
      const url = new URL(apiUrl);
      const target = { host: url.hostname, port: Number(url.port) };
      for (const route of ROUTES) {
        for (const c of casesFor(route)) await sendRaw(target, c.request);
      }
      expect((await fetch(`${apiUrl}/v1/jobs/%E0%A4%A`)).status).toBe(400);
      expect({ exitCode: child.exitCode, signal: child.signalCode }).toEqual({ exitCode: null, signal: null });
      expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
      expect(output()).not.toMatch(/URIError|unhandled rejection/i);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
      await rm(artifactsDir, { recursive: true, force: true });
    }
  });
});
