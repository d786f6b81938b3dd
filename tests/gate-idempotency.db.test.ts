// Idempotency-Key on the release gate: bound to the caller and the body, kept 24 h, and claimed once
// even when duplicates arrive together (issue #13, defect 4).
import { beforeAll, expect, it } from "vitest";
import * as evaluate from "../app/api/v1/gates/evaluate/route";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { IDEMPOTENCY_TTL_MS } from "../lib/api/http/idempotency";
import { deleteExpiredIdempotencyKeys, idempotent } from "../lib/api/http/idempotency-store";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

describeEachDatabase("gate Idempotency-Key", ({ db }) => {
  let tokenA = "";
  let tokenB = "";
  const ask = (body: unknown, key: string | null, token = tokenA) =>
    callRoute(evaluate.POST, { method: "POST", path: "/api/v1/gates/evaluate", body, token, headers: key === null ? {} : { "idempotency-key": key } });
  const evaluations = () => db().prisma.gateEvaluation.count();
  const audited = () => db().prisma.auditLog.count({ where: { action: "gate.evaluate" } });

  beforeAll(async () => {
    installTestApp(db());
    const svc = { db: db(), actor: SYSTEM_ACTOR };
    tokenA = (await createToken(svc, { name: "ci-a", scopes: ["gate"] })).secret;
    tokenB = (await createToken(svc, { name: "ci-b", scopes: ["gate"] })).secret;
  });

  it("replays the first answer for the same caller, key and body (however the body is spelled)", async () => {
    const before = await evaluations();
    const first = await ask({ service: "checkout", version: "1.0.0" }, "same-body");
    expect(first.status).toBe(200);
    expect(first.json.replayed).toBe(false);
    const again = await ask({ version: "1.0.0", services: ["checkout"] }, "same-body");
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ...first.json, replayed: true });
    expect(await evaluations()).toBe(before + 1);
  });

  it("refuses the same key with another service and version: 422 idempotency_key_reused, nothing evaluated", async () => {
    const first = await ask({ service: "checkout", version: "1.0.0" }, "deploy-42");
    const before = await evaluations();
    const other = await ask({ service: "payments", version: "2.0.0" }, "deploy-42");
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe("idempotency_key_reused");
    expect(other.json.error.message).toMatch(/different request body/);
    expect(other.json.error.details.reason).toMatch(/fingerprint differs/);
    expect(await evaluations()).toBe(before);
    // The refusal did not take the key over: the first body still replays.
    expect((await ask({ service: "checkout", version: "1.0.0" }, "deploy-42")).json).toMatchObject({ evaluationId: first.json.evaluationId, replayed: true });
  });

  it("keeps each caller's keys apart: another token with the same key gets its own evaluation", async () => {
    const body = { service: "checkout", version: "3.0.0" };
    const a = await ask(body, "shared-key", tokenA);
    const b = await ask(body, "shared-key", tokenB);
    expect(b.status).toBe(200);
    expect(b.json.replayed).toBe(false);
    expect(b.json.evaluationId).not.toBe(a.json.evaluationId);
    const bOther = await ask({ service: "search" }, "shared-key-2", tokenB);
    const aOther = await ask({ service: "checkout" }, "shared-key-2", tokenA);
    expect(aOther.status).toBe(200);
    expect(aOther.json).toMatchObject({ replayed: false, services: ["checkout"] });
    expect(aOther.json.evaluationId).not.toBe(bOther.json.evaluationId);
  });

  it("keeps a key 24 hours; an expired key is evaluated afresh, and retention removes it", async () => {
    const body = { service: "checkout", version: "4.0.0" };
    const first = await ask(body, "old-key");
    const [row] = await db().sql.query<{ created_at: Date; expires_at: Date }>(`SELECT created_at, expires_at FROM idempotency_keys WHERE key = 'old-key'`);
    expect(new Date(row!.expires_at).getTime() - new Date(row!.created_at).getTime()).toBe(IDEMPOTENCY_TTL_MS);
    await db().sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`);
    const fresh = await ask(body, "old-key");
    expect(fresh.json.replayed).toBe(false);
    expect(fresh.json.evaluationId).not.toBe(first.json.evaluationId);
    expect((await ask(body, "old-key")).json).toMatchObject({ evaluationId: fresh.json.evaluationId, replayed: true });

    await db().sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`);
    expect(await deleteExpiredIdempotencyKeys(db(), new Date())).toBeGreaterThanOrEqual(1);
    expect(await db().sql.query(`SELECT 1 FROM idempotency_keys WHERE key = 'old-key'`)).toEqual([]);
  });

  it("evaluates once when duplicates arrive together; a concurrent other body is refused", async () => {
    const body = { service: "checkout", version: "5.0.0" };
    const [evaluationsBefore, auditBefore] = [await evaluations(), await audited()];
    const answers = await Promise.all(Array.from({ length: 5 }, () => ask(body, "race")));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => !a.json.replayed)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.evaluationId)).size).toBe(1);
    expect(await evaluations()).toBe(evaluationsBefore + 1);
    expect(await audited()).toBe(auditBefore + 1);

    const mixed = await Promise.all([ask({ service: "checkout", version: "6.0.0" }, "race-2"), ask({ service: "payments", version: "6.0.0" }, "race-2")]);
    expect(mixed.map((a) => a.status).sort()).toEqual([200, 422]);
  });

  it("runs the operation once for concurrent duplicates, the others waiting for its stored result", async () => {
    let runs = 0;
    const svc = { db: db(), actor: { type: "token" as const, id: "t-race", name: "race", scopes: ["gate" as const] } };
    const req = () => new Request("http://localhost/x", { method: "POST", headers: { "idempotency-key": "slow" } });
    const slow = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 150));
      return { n: runs };
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => idempotent(svc, { operation: "test.slow", req: req(), body: { a: 1 } }, slow)));
    expect(runs).toBe(1);
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 6 }, () => ({ n: 1 })));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it("releases the key when the request fails, and refuses a malformed key", async () => {
    const bad = { service: "checkout", policy: "no-such-policy" };
    expect((await ask(bad, "fails")).status).toBe(404);
    expect((await ask(bad, "fails")).status).toBe(404);
    const ok = await ask({ service: "checkout" }, "fails");
    expect(ok.status).toBe(200);
    expect(ok.json.replayed).toBe(false);
    const long = await ask({ service: "checkout" }, "k".repeat(201));
    expect(long.status).toBe(400);
    expect(long.json.error.message).toMatch(/Idempotency-Key/);
  });
});
