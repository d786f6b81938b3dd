import { beforeAll, expect, it } from "vitest";
import * as evaluate from "../app/api/v1/gates/evaluate/route";
import * as evaluations from "../app/api/v1/gates/evaluations/route";
import * as overrideOne from "../app/api/v1/gates/overrides/[id]/route";
import * as overrides from "../app/api/v1/gates/overrides/route";
import * as policies from "../app/api/v1/gates/policies/[name]/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { createLogger } from "../lib/observability/logger";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { addSloContributions } from "../lib/telemetry/write/slo-rollups";
import { createSlo } from "../lib/slo/store/slos";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const quiet = createLogger({ level: "error", sink: () => undefined });

describeEachDatabase("release gate", ({ db }) => {
  let gateToken = "";
  let readToken = "";
  const ids: Record<string, string> = {};
  const minute = () => Math.floor(Date.now() / 60_000);
  const ask = (body: unknown, extra: { mode?: string; token?: string } = {}) =>
    callRoute(evaluate.POST, { method: "POST", path: `/api/v1/gates/evaluate${extra.mode ? `?mode=${extra.mode}` : ""}`, body, token: extra.token ?? gateToken});

  beforeAll(async () => {
    installTestApp(db());
    const svc = { db: db(), actor: SYSTEM_ACTOR };
    gateToken = (await createToken(svc, { name: "ci", scopes: ["gate"] })).secret;
    readToken = (await createToken(svc, { name: "r", scopes: ["read"] })).secret;
    for (const service of ["healthy", "burning", "quiet"]) {
      const slo = await createSlo(svc, { name: `${service}-availability`, service, sli: { kind: "availability", selector: { service } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 30 } });
      ids[service] = slo.id;
    }
    const now = minute();
    const rows = Array.from({ length: 60 }, (_, i) => [
      { sloId: ids.healthy!, minute: now - i, good: 1000, total: 1000 },
      { sloId: ids.burning!, minute: now - i, good: 950, total: 1000 },
    ]).flat();
    await addSloContributions(db().sql, rows);
    await evaluateAllSlos({ db: db(), logger: quiet, now: new Date() });
  });

  it.each([
    [["healthy"], "pass", "all_clear"],
    [["burning"], "fail", "budget_exhausted"],
    [["quiet"], "inconclusive", "no_data"],
    [["nobody"], "inconclusive", "no_slos_in_scope"],
    [["healthy", "burning"], "fail", "page_alert_firing"],
  ])("services %j → %s (%s)", async (services, decision, code) => {
    const r = await ask({ services, version: "1.2.3" });
    expect(r.status).toBe(200);
    api.evaluateGate.response.parse(r.json);
    expect(r.json.decision).toBe(decision);
    expect(r.json.reasons.map((x: { code: string }) => x.code)).toContain(code);
    expect(r.json.evaluationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hands a failed decision to the webhook outbox as gate.failed", async () => {
    await db().prisma.webhookEndpoint.create({ data: { name: "ci-alerts", url: "https://hooks.example.com/x", secretCiphertext: "unused-here", events: ["gate.failed"], services: [] } });
    const r = await ask({ service: "burning", version: "2.0.0" });
    const delivery = await db().prisma.webhookDelivery.findUniqueOrThrow({ where: { endpointId_eventKey: { endpointId: (await db().prisma.webhookEndpoint.findFirstOrThrow()).id, eventKey: `gate_evaluation:${r.json.evaluationId}` } } });
    expect(delivery.eventType).toBe("gate.failed");
    expect((delivery.payload as { summary: string }).summary).toBe("Release gate failed for burning 2.0.0");
    await ask({ service: "healthy" });
    expect(await db().prisma.webhookDelivery.count()).toBe(1);
  });

  it("names the figure and threshold in budget reasons", async () => {
    const r = await ask({ service: "burning" });
    const budget = r.json.reasons.find((x: { code: string }) => x.code === "budget_exhausted");
    expect(budget.figure).toBeLessThan(0);
    expect(budget.threshold).toBe(0);
    expect(budget.message).toContain('SLO "burning-availability"');
  });

  it("answers 412 in status mode unless the decision is pass", async () => {
    expect((await ask({ service: "healthy" }, { mode: "status" })).status).toBe(200);
    expect((await ask({ service: "burning" }, { mode: "status" })).status).toBe(412);
    expect((await ask({ service: "quiet" }, { mode: "status" })).status).toBe(412);
  });

  it("replays an evaluation for the same Idempotency-Key, and does not record dry runs", async () => {
    const req = (body: unknown) => new Request("http://localhost:3000/api/v1/gates/evaluate", { method: "POST", headers: { authorization: `Bearer ${gateToken}`, "content-type": "application/json", "idempotency-key": "deploy-42" }, body: JSON.stringify(body) });
    const first = await (await evaluate.POST(req({ service: "healthy" }), { params: Promise.resolve({}) })).json();
    const second = await (await evaluate.POST(req({ services: ["healthy"] }), { params: Promise.resolve({}) })).json();
    expect(second).toMatchObject({ evaluationId: first.evaluationId, decision: "pass", replayed: true });
    // Another body under the same key is refused, never answered with the first decision (tests/gate-idempotency.db.test.ts).
    expect((await evaluate.POST(req({ service: "burning" }), { params: Promise.resolve({}) })).status).toBe(422);
    const before = await db().prisma.gateEvaluation.count();
    const dry = await ask({ service: "healthy", dryRun: true });
    expect(dry.json.evaluationId).toBeNull();
    expect(await db().prisma.gateEvaluation.count()).toBe(before);
  });

  it("follows a saved policy: missing data may be set to warn instead of inconclusive", async () => {
    const saved = await callRoute(policies.PUT, { method: "PUT", path: "/api/v1/gates/policies/strict", params: { name: "strict" }, body: { noData: "warn" }, token: gateToken });
    expect(saved.status).toBe(403);
    const writer = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "w", scopes: ["write"] })).secret;
    expect((await callRoute(policies.PUT, { method: "PUT", path: "/api/v1/gates/policies/strict", params: { name: "strict" }, body: { warnBudgetRemainingRatio: 1.01 }, token: writer })).status).toBe(400);
    expect((await callRoute(policies.PUT, { method: "PUT", path: "/api/v1/gates/policies/strict", params: { name: "strict" }, body: { noData: "warn" }, token: writer })).status).toBe(200);
    const r = await ask({ service: "quiet", policy: "strict" });
    expect(r.json.decision).toBe("warn");
    const unknown = await ask({ service: "healthy", policy: "nope" });
    expect(unknown.status).toBe(404);
  });

  it("needs the gate scope, and lists evaluations for readers", async () => {
    expect((await ask({ service: "healthy" }, { token: readToken })).status).toBe(403);
    const list = await callRoute(evaluations.GET, { path: "/api/v1/gates/evaluations?service=burning", token: readToken });
    expect(list.json.evaluations.length).toBeGreaterThan(0);
    expect(list.json.evaluations.every((e: { services: string[] }) => e.services.includes("burning"))).toBe(true);
  });

  it("lets an administrator override a failing gate for a while, with a reason, audited, and revoke it", async () => {
    const admin = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "sre", scopes: ["admin"] })).secret;
    const grant = (body: unknown, token = admin) => callRoute(overrides.POST, { method: "POST", path: "/api/v1/gates/overrides", body, token });
    expect((await grant({ service: "burning", reason: "hotfix for the outage" }, gateToken)).status).toBe(403);
    const noReason = await grant({ service: "burning", reason: "ok" });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.json)).toMatch(/at least 10 characters/);

    const created = await grant({ service: "burning", version: "3.0.1", reason: "hotfix for the checkout outage", expiresInMinutes: 30 });
    expect(created.status).toBe(201);
    const id = created.json.override.id as string;
    expect(created.json.override).toMatchObject({ services: ["burning"], version: "3.0.1", active: true });

    const covered = await ask({ service: "burning", version: "3.0.1" });
    expect(covered.json.decision).toBe("pass");
    expect(covered.json.reasons[0].code).toBe("overridden");
    expect(covered.json.reasons[0].message).toMatch(/hotfix for the checkout outage.*would have answered fail/);
    expect((await db().prisma.gateEvaluation.findUnique({ where: { id: covered.json.evaluationId } }))?.overrideId).toBe(id);
    // Another version is not covered.
    expect((await ask({ service: "burning", version: "3.0.2" })).json.decision).toBe("fail");

    const revoked = await callRoute(overrideOne.DELETE, { method: "DELETE", path: `/api/v1/gates/overrides/${id}`, params: { id }, token: admin });
    expect(revoked.json.override.active).toBe(false);
    expect((await ask({ service: "burning", version: "3.0.1" })).json.decision).toBe("fail");
    const audit = await db().prisma.auditLog.findMany({ where: { targetId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["gate.override.create", "gate.override.revoke"]);
    const listed = await callRoute(overrides.GET, { path: "/api/v1/gates/overrides", token: readToken });
    expect(listed.json.overrides.map((o: { id: string }) => o.id)).toContain(id);
  });
});
