import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as apply from "../app/api/v1/slos/apply/route";
import * as byName from "../app/api/v1/slos/[name]/route";
import * as exportRoute from "../app/api/v1/slos/export/route";
import * as slos from "../app/api/v1/slos/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { importOpenSlo } from "../lib/slo/core/openslo";
import { createSloCache } from "../lib/slo/store/rollups";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";

const run = promisify(execFile);

const availability = {
  name: "checkout-availability",
  service: "checkout",
  sli: { kind: "availability", selector: { service: "checkout", spanKind: "server" } },
  objectivePercent: 99.9,
  window: { type: "rolling", durationDays: 30 },
};

describeEachDatabase("SLO definitions API and CLI", ({ db }) => {
  let writer = "";
  let reader = "";
  let server: Server;
  let baseUrl = "";

  beforeAll(async () => {
    installTestApp(db());
    writer = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "w", scopes: ["read", "write"] })).secret;
    reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "r", scopes: ["read"] })).secret;
    // A minimal HTTP front for the CLI: the two routes it calls.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
      const handler = req.url?.startsWith("/api/v1/slos/apply") ? apply.POST : exportRoute.GET;
      const response = await handler(request, { params: Promise.resolve({}) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("creates an SLO and keeps the objective exact", async () => {
    const r = await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body: availability, token: writer });
    expect(r.status).toBe(201);
    api.createSlo.response.parse(r.json);
    expect(r.json.slo.definition.objectivePercent).toBe("99.9");
    expect(r.json.slo.definition.alertPolicy.burnRateRules).toHaveLength(4);
    const again = await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body: availability, token: writer });
    expect(again.status).toBe(409);
  });

  it.each([
    [{ ...availability, name: "Bad Name" }, "name"],
    [{ ...availability, name: "x", objectivePercent: 100 }, "objectivePercent"],
    [{ ...availability, name: "y", sli: { kind: "latency", selector: { service: "s" } } }, "sli.thresholdMs"],
    [{ ...availability, name: "z", window: { type: "rolling", durationDays: 14 } }, "window.durationDays"],
  ])("rejects an invalid definition naming the field (%#)", async (body, field) => {
    const r = await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body, token: writer });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it("needs the write scope to change and the read scope to list", async () => {
    expect((await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body: { ...availability, name: "other" }, token: reader })).status).toBe(403);
    const list = await callRoute(slos.GET, { path: "/api/v1/slos", token: reader });
    expect(list.json.slos.map((s: { definition: { name: string } }) => s.definition.name)).toEqual(["checkout-availability"]);
  });

  it("replaces a definition, bumping its version only when it changed", async () => {
    const path = "/api/v1/slos/checkout-availability";
    const same = await callRoute(byName.PUT, { method: "PUT", path, params: { name: "checkout-availability" }, body: availability, token: writer });
    expect(same.json.slo.version).toBe(1);
    const changed = await callRoute(byName.PUT, { method: "PUT", path, params: { name: "checkout-availability" }, body: { ...availability, objectivePercent: "99.95" }, token: writer });
    expect(changed.json.slo).toMatchObject({ version: 2, definition: { objectivePercent: "99.95" } });
    const renamed = await callRoute(byName.PUT, { method: "PUT", path, params: { name: "checkout-availability" }, body: { ...availability, name: "other" }, token: writer });
    expect(renamed.status).toBe(400);
  });

  it("applies OpenSLO files with the CLI: diff first, idempotent, prune on request", async () => {
    const env = { ...process.env, TAILGUARD_URL: baseUrl, TAILGUARD_TOKEN: writer };
    const cli = (args: string[]) => run(process.execPath, ["--import", "tsx", "bin/tailguard.ts", ...args], { env });
    const dry = await cli(["apply", "-f", "examples/slos", "--dry-run"]);
    expect(dry.stdout).toContain("+ create api-availability");
    expect(dry.stdout).toContain("keep   checkout-availability");
    expect((await callRoute(slos.GET, { path: "/api/v1/slos", token: reader })).json.slos).toHaveLength(1);

    const first = await cli(["apply", "-f", "examples/slos"]);
    expect(first.stdout).toMatch(/3 change\(s\)[\s\S]*applied/);
    const second = await cli(["apply", "-f", "examples/slos/sample-system.yaml"]);
    expect(second.stdout).toContain("no changes (3 SLO(s) up to date)");
    expect(second.stdout).not.toContain("applied");

    const pruned = await cli(["apply", "-f", "examples/slos", "--prune"]);
    expect(pruned.stdout).toContain("- delete checkout-availability");
    const names = (await callRoute(slos.GET, { path: "/api/v1/slos", token: reader })).json.slos.map((s: { definition: { name: string } }) => s.definition.name);
    expect(names).toEqual(["api-availability", "api-latency", "job-completion"]);
  });

  it("reports a broken YAML file with its document and field", async () => {
    const bad = (await readFile("examples/slos/sample-system.yaml", "utf8")).replace("target: 0.999", "target: 1.5");
    const r = await callRoute(apply.POST, { method: "POST", path: "/api/v1/slos/apply", body: { yaml: bad }, token: writer });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0]).toMatchObject({ documentIndex: 0 });
  });

  it("exports OpenSLO that imports back to the same definitions", async () => {
    const res = await exportRoute.GET(new Request("http://x/api/v1/slos/export", { headers: { authorization: `Bearer ${reader}` } }), { params: Promise.resolve({}) });
    expect(res.headers.get("content-type")).toContain("yaml");
    const imported = importOpenSlo(await res.text());
    expect(imported.ok && imported.definitions.map((d) => d.name)).toEqual(["api-availability", "api-latency", "job-completion"]);
    const stored = (await callRoute(slos.GET, { path: "/api/v1/slos", token: reader })).json.slos.map((s: { definition: unknown }) => s.definition);
    expect(imported.ok && imported.definitions).toEqual(stored);
  });

  it.each([
    ["a backreference matcher", { sli: { kind: "availability", selector: { service: "jobs", attributes: [{ key: "job.id", op: "=~", value: "(a)\\1" }] } } }, "sli.selector.attributes.0.value", "not a valid RE2 regular expression"],
    ["a 1e9-minute alert window", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 1e9, shortWindowMinutes: 5, burnRate: 14.4 }] } }, "alertPolicy.burnRateRules.0.longWindowMinutes", "at most 43200"],
    ["an alert window longer than the SLO", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 43_201, shortWindowMinutes: 5, burnRate: 14.4 }] } }, "alertPolicy.burnRateRules.0.longWindowMinutes", "at most the SLO window"],
    ["a short window as long as the long one", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 60, shortWindowMinutes: 60, burnRate: 14.4 }] } }, "alertPolicy.burnRateRules.0.shortWindowMinutes", "shorter than longWindowMinutes"],
  ])("answers 400 naming the field for %s", async (_label, patch, field, message) => {
    const r = await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body: { ...availability, name: "bounded", ...patch }, token: writer });
    expect(r.status).toBe(400);
    expect(r.json.error.details).toContainEqual(expect.objectContaining({ field, message: expect.stringContaining(message) }));
  });

  it("refuses an OpenSLO alert window past the SLO window on apply", async () => {
    const yaml = (await readFile("examples/slos/sample-system.yaml", "utf8")).replace("lookbackWindow: 1h", "lookbackWindow: 1000000d");
    const r = await callRoute(apply.POST, { method: "POST", path: "/api/v1/slos/apply", body: { yaml, dryRun: true }, token: writer });
    expect(r.status).toBe(400);
    expect(r.json.error.details).toContainEqual(expect.objectContaining({ documentIndex: 0, field: "spec.alertPolicies.0.spec.conditions.0.spec.condition.lookbackWindow" }));
  });

  it("matches a catastrophic-backtracking selector at ingest with RE2", async () => {
    // RE2 refuses what only a backtracking engine accepts; asserted first so a backtracking engine fails here instead of hanging below.
    const backreference = { ...availability, name: "jobs-backref", sli: { kind: "availability", selector: { service: "jobs", attributes: [{ key: "job.id", op: "=~", value: "(a)\\1" }] } } };
    expect((await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body: backreference, token: writer })).status).toBe(400);

    const body = { ...availability, name: "jobs-hex", service: "jobs", sli: { kind: "availability", selector: { service: "jobs", attributes: [{ key: "job.id", op: "=~", value: "([0-9a-f-]+)+x" }] } } };
    const created = await callRoute(slos.POST, { method: "POST", path: "/api/v1/slos", body, token: writer });
    expect(created.status).toBe(201);
    const telemetry = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => Number(T0 / MS) + 60_000, slos: createSloCache(db()) });
    const id40 = "0123456789abcdef-0123456789abcdef-012345"; // 40 characters: 2^40 ways to backtrack, none ending in x
    const jobIds = [id40, `${id40}x`, `${id40.toUpperCase()}x`, `${id40}\nx`, `${id40}x`];
    const specs = jobIds.map((jobId, i) => ({ service: "jobs", traceId: hexId(32, 500 + i), spanId: hexId(16, 500 + i), name: "run", kind: 2, startNs: T0, durationMs: 5, error: i === 4, attributes: { "job.id": jobId } }));
    const { spans } = normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 60_000n * MS });
    await telemetry.writeSpans(spans);
    // Matched: the two lowercase ids ending in x (one of them failed); upper case and a newline are outside [0-9a-f-].
    const rows = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: created.json.slo.id } });
    expect(rows.map((r) => ({ good: r.good, total: r.total }))).toEqual([{ good: 1, total: 2 }]);
    await callRoute(byName.DELETE, { method: "DELETE", path: "/api/v1/slos/jobs-hex", params: { name: "jobs-hex" }, token: writer });
  });

  it("deletes an SLO", async () => {
    const r = await callRoute(byName.DELETE, { method: "DELETE", path: "/api/v1/slos/api-latency", params: { name: "api-latency" }, token: writer });
    expect(r.json).toEqual({ deleted: "api-latency" });
    expect((await callRoute(byName.GET, { path: "/api/v1/slos/api-latency", params: { name: "api-latency" }, token: reader })).status).toBe(404);
  });
});
