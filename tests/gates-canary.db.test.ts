// Canary verdicts through the real route, store and writer: spans of two service.versions go in through the
// TelemetryWriter, and POST /api/v1/gates/evaluate with `baseline` compares them on each SLO in scope.
import { beforeAll, describe, expect, it } from "vitest";
import * as evaluate from "../app/api/v1/gates/evaluate/route";
import * as evaluations from "../app/api/v1/gates/evaluations/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { canaryFigures } from "../lib/gate/store/canary-figures";
import { createLogger } from "../lib/observability/logger";
import { parseSloDefinition, type SloDefinitionInput } from "../lib/slo/core/definition";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { createSloCache } from "../lib/slo/store/rollups";
import { createSlo } from "../lib/slo/store/slos";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, kv, MS, type SpanSpec, traceRequest } from "./helpers/telemetry-fixtures";

const quiet = createLogger({ level: "error", sink: () => undefined });
const MINUTE_NS = 60_000n * MS;

type Reason = { code: string; level: string; message: string; subject: { name: string } };
type Comparison = { slo: string; verdict: string; candidate: { events: number; capped: boolean }; baseline: { events: number; capped: boolean } };

describeEachDatabase("canary verdicts", ({ db }) => {
  let gateToken = "";
  let nextId = 1;
  const nowNs = BigInt(Date.now()) * MS;
  const ask = (body: unknown, headers: Record<string, string> = {}) => callRoute(evaluate.POST, { method: "POST", path: "/api/v1/gates/evaluate", body, token: gateToken, headers });
  const codes = (r: { json: { reasons: Reason[] } }) => r.json.reasons.map((x) => x.code);

  /** `count` server spans of one version spread evenly over [fromMin, toMin) minutes before now; every `errorEvery`-th fails. */
  function spans(service: string, o: { count: number; fromMin: number; toMin: number; durationMs: (i: number) => number; errorEvery?: number }): SpanSpec[] {
    const stepNs = (BigInt(o.fromMin - o.toMin) * MINUTE_NS) / BigInt(o.count);
    return Array.from({ length: o.count }, (_, i) => {
      const n = nextId++;
      return { service, traceId: hexId(32, n), spanId: hexId(16, n), name: "GET /items", kind: 2, startNs: nowNs - BigInt(o.fromMin) * MINUTE_NS + BigInt(i) * stepNs, durationMs: o.durationMs(i), error: o.errorEvery !== undefined && i % o.errorEvery === 0 };
    });
  }

  async function write(version: string, specs: SpanSpec[]) {
    const request = traceRequest(specs);
    for (const rs of request.resourceSpans) rs.resource.attributes.push(...kv({ "service.version": version }));
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 4, slos: createSloCache(db()) });
    await writer.writeSpans(normaliseTraces(request, { nowUnixNano: nowNs }).spans);
  }

  const slo = (input: Omit<SloDefinitionInput, "objectivePercent" | "window">) =>
    createSlo({ db: db(), actor: SYSTEM_ACTOR }, { ...input, objectivePercent: "80", window: { type: "rolling", durationDays: 7 } } as SloDefinitionInput);
  const availability = (service: string) => slo({ name: `${service}-availability`, service, sli: { kind: "availability", selector: { service, spanKind: "server" } } });
  const latency = (service: string) => slo({ name: `${service}-latency`, service, sli: { kind: "latency", selector: { service }, thresholdMs: 1000 } });
  const steady = (i: number) => 80 + (i % 40);

  beforeAll(async () => {
    installTestApp(db());
    gateToken = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "ci", scopes: ["gate"] })).secret;
    // errs: the candidate fails 1 in 10 requests, the baseline 1 in 100 (budgets stay healthy at an 80 % objective).
    await availability("errs");
    await write("1.0.0", spans("errs", { count: 400, fromMin: 20, toMin: 1, durationMs: steady, errorEvery: 100 }));
    await write("1.1.0", spans("errs", { count: 400, fromMin: 20, toMin: 1, durationMs: steady, errorEvery: 10 }));
    // slow: same errors, the candidate three times slower, all within the latency threshold.
    await latency("slow");
    await write("1.0.0", spans("slow", { count: 300, fromMin: 20, toMin: 1, durationMs: steady }));
    await write("1.1.0", spans("slow", { count: 300, fromMin: 20, toMin: 1, durationMs: (i) => 3 * steady(i) }));
    // same: both versions alike; before the candidate, 1.0.0 served most traffic and 0.9.0 some.
    await availability("same");
    await latency("same");
    await write("0.9.0", spans("same", { count: 50, fromMin: 50, toMin: 30, durationMs: steady }));
    await write("1.0.0", spans("same", { count: 200, fromMin: 50, toMin: 21, durationMs: steady, errorEvery: 100 }));
    await write("1.0.0", spans("same", { count: 300, fromMin: 20, toMin: 1, durationMs: steady, errorEvery: 100 }));
    await write("1.1.0", spans("same", { count: 300, fromMin: 20, toMin: 1, durationMs: steady, errorEvery: 100 }));
    // little: 30 requests a side, below the default 100 events per side.
    await availability("little");
    await write("1.0.0", spans("little", { count: 30, fromMin: 20, toMin: 1, durationMs: steady }));
    await write("1.1.0", spans("little", { count: 30, fromMin: 20, toMin: 1, durationMs: steady }));
    await evaluateAllSlos({ db: db(), logger: quiet, now: new Date() });
  });

  it("fails a candidate with more errors, even with a healthy budget, naming both figures", async () => {
    const r = await ask({ service: "errs", version: "1.1.0", baseline: { version: "1.0.0" } });
    expect(r.status).toBe(200);
    api.evaluateGate.response.parse(r.json);
    expect(r.json.decision).toBe("fail");
    expect(codes(r)).not.toContain("budget_exhausted");
    const worse = r.json.reasons.find((x: Reason) => x.code === "canary_worse");
    // 40 of 400 against 4 of 400.
    expect(worse.message).toContain("10% (40 of 400 events)");
    expect(worse.message).toContain("1% (4 of 400 events)");
    expect(r.json.canary).toMatchObject({ candidateVersion: "1.1.0", baselineVersion: "1.0.0" });
    expect(r.json.comparisons).toEqual([expect.objectContaining({ slo: "errs-availability", sli: "availability", verdict: "worse", candidate: expect.objectContaining({ events: 400, badEvents: 40, ratio: 0.1, capped: false }) })]);
  });

  it("fails a slower candidate on p95 by Mann–Whitney U", async () => {
    const r = await ask({ service: "slow", version: "1.1.0", baseline: { version: "1.0.0" } });
    expect(r.json.decision).toBe("fail");
    const [c] = r.json.comparisons;
    expect(c).toMatchObject({ slo: "slow-latency", verdict: "worse", test: "mann_whitney_u" });
    expect(c.candidate.p95Ms).toBeGreaterThan(2 * c.baseline.p95Ms);
    expect(r.json.reasons.find((x: Reason) => x.code === "canary_worse").message).toMatch(/candidate's p95 is .* against the baseline's/);
  });

  it("passes an equal candidate with canary_not_worse on each SLO", async () => {
    const r = await ask({ service: "same", version: "1.1.0", baseline: { version: "1.0.0" } });
    expect(r.json.decision).toBe("pass");
    expect(r.json.comparisons.map((c: Comparison) => [c.slo, c.verdict])).toEqual([["same-availability", "not_worse"], ["same-latency", "not_worse"]]);
    expect(codes(r).filter((c: string) => c === "canary_not_worse")).toHaveLength(2);
    expect(codes(r)).toContain("all_clear");
  });

  it("is inconclusive, never a pass, with too little traffic", async () => {
    const r = await ask({ service: "little", version: "1.1.0", baseline: { version: "1.0.0" } });
    expect(r.json.decision).toBe("inconclusive");
    expect(codes(r)).toContain("canary_insufficient_data");
    expect(r.json.comparisons[0]).toMatchObject({ verdict: "insufficient_data", candidate: { events: 30 }, baseline: { events: 30 } });
  });

  it("takes baseline {} as the version that served most traffic in the hour before the candidate", async () => {
    const r = await ask({ service: "same", version: "1.1.0", baseline: {} });
    expect(r.json.canary.baselineVersion).toBe("1.0.0");
    expect(r.json.decision).toBe("pass");
  });

  it("compares over a given window only", async () => {
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const r = await ask({ service: "errs", version: "1.1.0", baseline: { version: "1.0.0" }, window: { from } });
    expect(r.json.canary.from).toBe(from);
    // About half of the 20 minutes: roughly 200 spans a side.
    expect(r.json.comparisons[0].candidate.events).toBeGreaterThan(150);
    expect(r.json.comparisons[0].candidate.events).toBeLessThan(250);
  });

  it("is inconclusive when the candidate has sent nothing, or no earlier version exists", async () => {
    const none = await ask({ service: "errs", version: "9.9.9", baseline: {} });
    expect(none.json.decision).toBe("inconclusive");
    expect(codes(none)).toContain("canary_no_candidate");
    const first = await ask({ service: "errs", version: "1.0.0", baseline: {} });
    // 1.0.0 and 1.1.0 started together: nothing served the service in the hour before.
    expect(first.json.decision).toBe("inconclusive");
    expect(codes(first)).toContain("canary_no_baseline");
  });

  it("skips metric-based SLOs with an info reason", async () => {
    await slo({ name: "errs-metric", service: "errs", sli: { kind: "metricRatio", good: { metric: "ok_total", matchers: [] }, total: { metric: "all_total", matchers: [] } } });
    const r = await ask({ service: "errs", version: "1.1.0", baseline: { version: "1.0.0" } });
    const skipped = r.json.reasons.find((x: Reason) => x.code === "canary_skipped");
    expect(skipped).toMatchObject({ level: "info", subject: { name: "errs-metric" } });
    expect(r.json.comparisons.map((c: Comparison) => c.slo)).toEqual(["errs-availability"]);
    await db().prisma.slo.delete({ where: { name: "errs-metric" } });
  });

  it.each([
    [{ service: "errs", baseline: { version: "1.0.0" } }, "version"],
    [{ services: ["errs", "same"], version: "1.1.0", baseline: {} }, "services"],
    [{ service: "errs", version: "1.1.0", baseline: { version: "1.1.0" } }, "baseline.version"],
    [{ service: "errs", version: "1.1.0", baseline: { version: 3 } }, "baseline.version"],
    [{ service: "errs", version: "1.1.0", baseline: { name: "x" } }, "baseline"],
    [{ service: "errs", version: "1.1.0", window: { from: "2026-12-01T00:00:00Z" } }, "window"],
    [{ service: "errs", version: "1.1.0", baseline: {}, window: { from: "yesterday" } }, "window.from"],
    [{ service: "errs", version: "1.1.0", baseline: {}, window: { from: "2026-12-01T10:00:00Z", to: "2026-12-01T09:00:00Z" } }, "window.to"],
    [{ service: "errs", version: "1.1.0", baseline: {}, window: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" } }, "window.to"],
    [{ service: "errs", version: "1.1.0", baseline: {}, window: { from: new Date(Date.now() + 3_600_000).toISOString() } }, "window.from"],
  ])("refuses %j with 400 naming %s", async (body, field) => {
    const r = await ask(body);
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(JSON.stringify(r.json.error)).toContain(field);
  });

  it("records the baseline in the evaluation and the audit trail, and lists the comparisons again", async () => {
    const r = await ask({ service: "same", version: "1.1.0", baseline: {} });
    const audit = await db().prisma.auditLog.findFirstOrThrow({ where: { targetId: r.json.evaluationId } });
    expect(audit.details).toMatchObject({ decision: "pass", baseline: {}, baselineVersion: "1.0.0" });
    const reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "reader", scopes: ["read"] })).secret;
    const listed = await callRoute(evaluations.GET, { path: "/api/v1/gates/evaluations?service=same", token: reader });
    const again = listed.json.evaluations.find((e: { evaluationId: string }) => e.evaluationId === r.json.evaluationId);
    expect(again.canary).toEqual(r.json.canary);
    expect(again.comparisons).toEqual(r.json.comparisons);
    expect(again.comparisons).toHaveLength(2);
  });

  it("keeps dryRun and Idempotency-Key working", async () => {
    const before = await db().prisma.gateEvaluation.count();
    const dry = await ask({ service: "errs", version: "1.1.0", baseline: { version: "1.0.0" }, dryRun: true });
    expect(dry.json).toMatchObject({ evaluationId: null, decision: "fail" });
    expect(dry.json.comparisons).toHaveLength(1);
    expect(await db().prisma.gateEvaluation.count()).toBe(before);

    const key = { "idempotency-key": "canary-7" };
    const body = { service: "errs", version: "1.1.0", baseline: { version: "1.0.0" } };
    const first = await ask(body, key);
    const second = await ask(body, key);
    expect(second.json).toMatchObject({ evaluationId: first.json.evaluationId, replayed: true, comparisons: first.json.comparisons });
    expect((await ask({ ...body, baseline: {} }, key)).status).toBe(422);
    expect(await db().prisma.gateEvaluation.count()).toBe(before + 1);
  });

  describe("figures", () => {
    it("stops at the span cap and says so", async () => {
      const parsed = parseSloDefinition({ name: "errs-availability", service: "errs", sli: { kind: "availability", selector: { service: "errs" } }, objectivePercent: "80", window: { type: "rolling", durationDays: 7 } });
      if (!parsed.ok) throw new Error(parsed.reason);
      const figures = await canaryFigures(db().sql, [{ id: "x", name: "errs-availability", definition: parsed.definition }], {
        service: "errs", candidateVersion: "1.1.0", baselineVersion: "1.0.0", fromNs: nowNs - 60n * MINUTE_NS, toNs: nowNs, maxSpansPerSide: 120,
      });
      expect(figures.slos[0]).toMatchObject({ candidate: { events: 120 }, baseline: { events: 120 }, capped: { candidate: true, baseline: true } });
    });

    it("measures queue wait per consumer version, producer end to consumer start", async () => {
      const parsed = parseSloDefinition({ name: "worker-wait", service: "worker", sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 }, objectivePercent: "80", window: { type: "rolling", durationDays: 7 } });
      if (!parsed.ok) throw new Error(parsed.reason);
      const messaging = { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs" };
      const at = nowNs - 5n * MINUTE_NS;
      const pair = (version: string, waitMs: number, n: number) => {
        const trace = hexId(32, 10_000 + n);
        const producer = { service: "api", traceId: trace, spanId: hexId(16, 10_000 + n), name: "publish jobs", kind: 4, startNs: at, durationMs: 1, attributes: messaging };
        const consumer = { service: "worker", traceId: trace, spanId: hexId(16, 20_000 + n), parentSpanId: producer.spanId, name: "process jobs", kind: 5, startNs: at + 1_000_000n + BigInt(waitMs) * MS, durationMs: 5, attributes: messaging };
        return { version, producer, consumer };
      };
      const pairs = [pair("2.0.0", 100, 1), pair("2.0.0", 3000, 2), pair("1.9.0", 50, 3)];
      await write("1.0.0", pairs.map((p) => p.producer));
      for (const p of pairs) await write(p.version, [p.consumer]);
      const figures = await canaryFigures(db().sql, [{ id: "w", name: "worker-wait", definition: parsed.definition }], {
        service: "worker", candidateVersion: "2.0.0", baselineVersion: "1.9.0", fromNs: nowNs - 60n * MINUTE_NS, toNs: nowNs,
      });
      const [w] = figures.slos;
      expect(w).toMatchObject({ sli: "queueWait", candidate: { events: 2, badEvents: 1 }, baseline: { events: 1, badEvents: 0 } });
      expect(w!.candidate.durations!.counts.reduce((a, b) => a + b, 0)).toBe(2);
    });

    it("counts finished jobs by the version of the service that worked on them", async () => {
      const parsed = parseSloDefinition({ name: "gpu-jobs", service: "gpu", sli: { kind: "jobCompletion", service: "gpu", thresholdMs: 60_000 }, objectivePercent: "80", window: { type: "rolling", durationDays: 7 } });
      if (!parsed.ok) throw new Error(parsed.reason);
      const job = (n: number, failed: boolean): SpanSpec => ({
        service: "gpu", traceId: hexId(32, 30_000 + n), spanId: hexId(16, 30_000 + n), name: "process render", kind: 5, startNs: nowNs - 5n * MINUTE_NS + BigInt(n) * MS, durationMs: 200, error: failed,
        attributes: { "job.id": `render-${n}`, "messaging.system": "rabbitmq", "messaging.destination.name": "render" },
      });
      await write("3.0.0", [job(1, true), job(2, false), job(3, false)]);
      await write("2.9.0", [job(4, false), job(5, false)]);
      const figures = await canaryFigures(db().sql, [{ id: "g", name: "gpu-jobs", definition: parsed.definition }], {
        service: "gpu", candidateVersion: "3.0.0", baselineVersion: "2.9.0", fromNs: nowNs - 60n * MINUTE_NS, toNs: nowNs,
      });
      expect(figures.slos[0]).toMatchObject({ sli: "jobCompletion", candidate: { events: 3, badEvents: 1 }, baseline: { events: 2, badEvents: 0 } });
      expect(figures.slos[0]!.candidate.durations).toBeUndefined();
    });
  });
});
