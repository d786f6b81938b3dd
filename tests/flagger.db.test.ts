// POST /api/v1/gates/flagger with exactly the payload Flagger sends for the webhook in deploy/flagger/canary.yaml
// (Flagger's CanaryWebhookPayload: name, namespace, phase, checksum, the hook's metadata as strings).
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import * as flagger from "../app/api/v1/gates/flagger/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { callRoute, installTestApp } from "./helpers/app";
import { evaluateSlosNow, seedCanary } from "./helpers/canary-spans";
import { describeEachDatabase } from "./helpers/databases";

type Webhook = { name: string; type: string; url: string; metadata: Record<string, string> };
const docs = parseAllDocuments(readFileSync(path.resolve(import.meta.dirname, "../deploy/flagger/canary.yaml"), "utf8")).map((d) => d.toJS());
const canary = docs.find((d) => d.kind === "Canary") as { metadata: { name: string; namespace: string }; spec: { analysis: { webhooks: Webhook[] } } };
const hook = canary.spec.analysis.webhooks.find((w) => w.name === "tailguard-canary")!;

/** Flagger's body for this hook during the analysis, with the metadata a release of `service` would carry. */
const flaggerPayload = (metadata: Record<string, string>) => ({ name: canary.metadata.name, namespace: canary.metadata.namespace, phase: "Progressing", checksum: "85d557f47b", metadata: { ...hook.metadata, ...metadata } });

describeEachDatabase("Flagger webhook", ({ db }) => {
  let token = "";
  const post = (body: unknown, auth = true) => callRoute(flagger.POST, { method: "POST", path: "/api/v1/gates/flagger", body, token: auth ? token : undefined });

  beforeAll(async () => {
    installTestApp(db());
    token = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "flagger", scopes: ["gate"] })).secret;
    await seedCanary(db(), { service: "fl-worse", idBase: 1, versions: [{ version: "1.0.0", count: 400, errorEvery: 100 }, { version: "1.1.0", count: 400, errorEvery: 10 }] });
    // The baseline ran alone before the candidate, so an omitted `baseline` finds it.
    await seedCanary(db(), { service: "fl-equal", idBase: 10_000, versions: [{ version: "1.0.0", count: 800, fromMin: 40, errorEvery: 100 }, { version: "1.1.0", count: 400, errorEvery: 100 }] });
    await seedCanary(db(), { service: "fl-little", idBase: 20_000, versions: [{ version: "1.0.0", count: 30 }, { version: "1.1.0", count: 30 }] });
    await evaluateSlosNow(db());
  });

  it("is a rollout hook on this route, carrying service and version", () => {
    expect(hook.type).toBe("rollout");
    expect(new URL(hook.url).pathname).toBe(api.flaggerGate.path);
    expect(Object.keys(hook.metadata).sort()).toEqual(["service", "version"]);
  });

  it("answers 412 with the reasons for a worse candidate (a failed check)", async () => {
    const r = await post(flaggerPayload({ service: "fl-worse", version: "1.1.0", baseline: "1.0.0" }));
    expect(r.status).toBe(412);
    expect(r.json.error).toMatchObject({ code: "gate_not_passed", message: expect.stringMatching(/^fail: .*10% \(40 of 400 events\)/) });
    const evaluation = api.flaggerGate.response.parse(r.json.error.details);
    expect(evaluation.decision).toBe("fail");
    expect(evaluation.reasons.map((x) => x.code)).toContain("canary_worse");
  });

  it("answers 200 for a candidate as good as the baseline, found without naming it", async () => {
    const r = await post(flaggerPayload({ service: "fl-equal", version: "1.1.0" }));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    api.flaggerGate.response.parse(r.json);
    expect(r.json).toMatchObject({ decision: "pass", canary: { candidateVersion: "1.1.0", baselineVersion: "1.0.0" } });
    expect(r.json.evaluationId).toEqual(expect.any(String));
  });

  it("answers 412 when there is too little traffic to judge: never a pass", async () => {
    const r = await post(flaggerPayload({ service: "fl-little", version: "1.1.0", baseline: "1.0.0" }));
    expect(r.status).toBe(412);
    expect(r.json.error.message).toMatch(/^inconclusive: /);
    expect(r.json.error.details.decision).toBe("inconclusive");
    expect(r.json.error.details.reasons.map((x: { code: string }) => x.code)).toContain("canary_insufficient_data");
  });

  it.each([
    [{ name: "checkout", namespace: "shop", phase: "Progressing" }, "metadata"],
    [flaggerPayload({ service: "", version: "1.1.0" }), "metadata.service"],
    [{ ...flaggerPayload({}), metadata: { service: "fl-equal" } }, "metadata.version"],
    [flaggerPayload({ service: "fl-equal", version: "1.1.0", cmd: "hey -z 1m http://checkout-canary" }), "cmd"],
    [flaggerPayload({ service: "fl-equal", version: "1.1.0", baseline: "1.1.0" }), "baseline.version"],
    [{ ...flaggerPayload({ service: "fl-equal", version: "1.1.0" }), phase: 3 }, "phase"],
  ])("refuses %j with 400 naming %s", async (body, field) => {
    const r = await post(body);
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error.code).toBe("invalid");
    expect(JSON.stringify(r.json.error)).toContain(field);
  });

  it("refuses Flagger's call without the gate token (401), and a token without the gate scope (403)", async () => {
    const body = flaggerPayload({ service: "fl-equal", version: "1.1.0" });
    expect((await post(body, false)).status).toBe(401);
    const reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "reader", scopes: ["read"] })).secret;
    expect((await callRoute(flagger.POST, { method: "POST", path: "/api/v1/gates/flagger", body, token: reader })).status).toBe(403);
  });
});
