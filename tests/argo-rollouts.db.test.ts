// deploy/argo-rollouts/analysis-template.yaml, run as Argo Rollouts runs it: its args substituted, its web
// request sent to the real gate route on a seeded database, its jsonPath and conditions applied to the answer.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as evaluate from "../app/api/v1/gates/evaluate/route";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { installTestApp } from "./helpers/app";
import { evaluateSlosNow, seedCanary } from "./helpers/canary-spans";
import { describeEachDatabase } from "./helpers/databases";

type Arg = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
type WebProvider = { method?: string; url: string; headers?: { key: string; value: string }[]; body?: string; jsonPath: string; timeoutSeconds?: number };
type Metric = { name: string; successCondition: string; failureCondition: string; provider: { web: WebProvider } };
type Template = { apiVersion: string; kind: string; spec: { args: Arg[]; metrics: Metric[] } };

const template = parse(readFileSync(path.resolve(import.meta.dirname, "../deploy/argo-rollouts/analysis-template.yaml"), "utf8")) as Template;
const secretExample = parse(readFileSync(path.resolve(import.meta.dirname, "../deploy/argo-rollouts/secret.example.yaml"), "utf8")) as { metadata: { name: string }; stringData: Record<string, string> };
const [metric] = template.spec.metrics;

/** Argo resolves each arg from the Rollout's value, its default, or a Secret, then replaces `{{args.name}}` everywhere in the metric. */
function resolveArgs(given: Record<string, string>, secrets: Record<string, Record<string, string>>): Record<string, string> {
  return Object.fromEntries(template.spec.args.map((a) => {
    const ref = a.valueFrom?.secretKeyRef;
    const value = given[a.name] ?? (ref ? secrets[ref.name]?.[ref.key] : a.value);
    if (value === undefined) throw new Error(`arg ${a.name} has no value`);
    return [a.name, value];
  }));
}
const substitute = (text: string, args: Record<string, string>) =>
  text.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_, name: string) => args[name] ?? expect.unreachable(`unknown arg ${name}`));

/** Argo's jsonPath on the answer; the template only needs `{$.field}`. */
function jsonPath(expression: string, json: unknown): unknown {
  const m = /^\{\$((?:\.[\w-]+)+)\}$/.exec(expression) ?? expect.unreachable(`unsupported jsonPath ${expression}`);
  return m[1]!.slice(1).split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], json);
}
/** The template's conditions are `result == "<string>"`; anything else would need a real expr evaluator. */
function condition(expression: string, result: unknown): boolean {
  const m = /^result == "([^"]*)"$/.exec(expression.trim()) ?? expect.unreachable(`unsupported condition ${expression}`);
  return result === m[1];
}
/** Argo's EvaluateResult when both conditions are set: failure wins, then success, else inconclusive. */
function argoPhase(m: Metric, result: unknown): "Failed" | "Successful" | "Inconclusive" {
  if (condition(m.failureCondition, result)) return "Failed";
  return condition(m.successCondition, result) ? "Successful" : "Inconclusive";
}

describe("the AnalysisTemplate", () => {
  it("asks the gate with a token from a Secret, never an inline one", () => {
    expect(template).toMatchObject({ apiVersion: "argoproj.io/v1alpha1", kind: "AnalysisTemplate" });
    expect(template.spec.args.find((a) => a.name === "tailguard-token")).toEqual({ name: "tailguard-token", valueFrom: { secretKeyRef: { name: secretExample.metadata.name, key: "token" } } });
    expect(metric?.provider.web).toMatchObject({ method: "POST", jsonPath: "{$.decision}" });
    expect(metric).toMatchObject({ successCondition: 'result == "pass"', failureCondition: 'result == "fail"' });
  });

  it("reads the answer as Argo does: pass succeeds, fail fails, warn and inconclusive are neither", () => {
    expect(["pass", "fail", "warn", "inconclusive"].map((d) => argoPhase(metric!, jsonPath("{$.decision}", { decision: d })))).toEqual(["Successful", "Failed", "Inconclusive", "Inconclusive"]);
  });
});

describeEachDatabase("Argo Rollouts analysis against the gate", ({ db }) => {
  let secrets: Record<string, Record<string, string>> = {};

  /** The web provider's request, built from the template with Argo's args, sent to the route handler. */
  async function send(service: string, version: string, secretStore = secrets) {
    const args = resolveArgs({ service, version, "tailguard-url": "http://localhost:3000" }, secretStore);
    const web = metric!.provider.web;
    const url = new URL(substitute(web.url, args));
    const headers = Object.fromEntries((web.headers ?? []).map((h) => [h.key, substitute(h.value, args)]));
    const req = new Request(url, { method: web.method ?? "GET", headers: { ...headers, host: url.host }, body: web.body === undefined ? undefined : substitute(web.body, args) });
    expect(url.pathname).toBe("/api/v1/gates/evaluate");
    return evaluate.POST(req, { params: Promise.resolve({}) });
  }
  /** One measurement, read as Argo reads it. */
  async function measure(service: string, version: string) {
    const res = await send(service, version);
    const json = (await res.json()) as { decision: string; reasons: { code: string }[] };
    // Argo fails a measurement on a non-2xx answer before reading the body: the gate answers 200 for every decision.
    expect(res.status, JSON.stringify(json)).toBe(200);
    const result = jsonPath(metric!.provider.web.jsonPath, json);
    return { phase: argoPhase(metric!, result), result, codes: json.reasons.map((r) => r.code) };
  }

  beforeAll(async () => {
    installTestApp(db());
    const token = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "argo", scopes: ["gate"] })).secret;
    secrets = { [secretExample.metadata.name]: { token } };
    // The baseline ran alone for 20 minutes before the candidate: `baseline: {}` finds it.
    await seedCanary(db(), { service: "argo-worse", idBase: 1, versions: [{ version: "1.0.0", count: 800, fromMin: 40, errorEvery: 100 }, { version: "1.1.0", count: 400, errorEvery: 10 }] });
    await seedCanary(db(), { service: "argo-equal", idBase: 10_000, versions: [{ version: "1.0.0", count: 800, fromMin: 40, errorEvery: 100 }, { version: "1.1.0", count: 400, errorEvery: 100 }] });
    await seedCanary(db(), { service: "argo-little", idBase: 20_000, versions: [{ version: "1.0.0", count: 60, fromMin: 40 }, { version: "1.1.0", count: 30 }] });
    await evaluateSlosNow(db());
  });

  it("fails the analysis for a worse candidate", async () => {
    const m = await measure("argo-worse", "1.1.0");
    expect(m).toMatchObject({ phase: "Failed", result: "fail" });
    expect(m.codes).toContain("canary_worse");
  });

  it("succeeds for a candidate as good as the baseline", async () => {
    const m = await measure("argo-equal", "1.1.0");
    expect(m).toMatchObject({ phase: "Successful", result: "pass" });
    expect(m.codes).toContain("canary_not_worse");
  });

  it("is inconclusive, neither success nor failure, with too little traffic", async () => {
    const m = await measure("argo-little", "1.1.0");
    expect(m).toMatchObject({ phase: "Inconclusive", result: "inconclusive" });
    expect(m.codes).toContain("canary_insufficient_data");
  });

  it("is refused with the example Secret's placeholder token", async () => {
    const res = await send("argo-equal", "1.1.0", { [secretExample.metadata.name]: { token: secretExample.stringData.token! } });
    expect(res.status).toBe(401);
  });
});
