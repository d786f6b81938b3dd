// API operations of the release gate: evaluate, list evaluations, read and save policies.
import { z } from "zod";
import { GatePolicySchema } from "../gate/policy";
import { GateRequest } from "../gates/evaluate";
import { GateOverrideRequest } from "../gates/overrides";
import { nonEmptyText, queryNumber, text } from "./fields";
import type { Operation } from "./contract-types";

const Reason = z
  .object({
    code: z.string(),
    level: z.enum(["fail", "inconclusive", "warn", "info"]),
    message: z.string(),
    subject: z.object({ type: z.string(), name: z.string() }).strict(),
    figure: z.number().optional(),
    threshold: z.number().optional(),
  })
  .strict();

export const GateResultView = z
  .object({
    evaluationId: z.string().nullable(),
    decision: z.enum(["pass", "warn", "inconclusive", "fail"]),
    reasons: z.array(Reason),
    evaluatedAt: z.string(),
    services: z.array(z.string()),
    version: z.string().nullable(),
    policy: z.string(),
    replayed: z.boolean(),
  })
  .strict();

export const GateOverrideView = z
  .object({
    id: z.string(), services: z.array(z.string()), version: z.string().nullable(), reason: z.string(), createdBy: z.string(), createdAt: z.string(),
    expiresAt: z.string(), revokedAt: z.string().nullable(), revokedBy: z.string().nullable(), active: z.boolean(),
  })
  .strict();

export const gateApi = {
  evaluateGate: {
    method: "POST",
    path: "/api/v1/gates/evaluate",
    summary: "May this release go out? Answers 200 with pass | warn | inconclusive | fail and reasons (with ?mode=status: 200 on pass, 412 otherwise). Send Idempotency-Key to replay the same body for 24 h (422 idempotency_key_reused for another body).",
    scope: "gate",
    body: GateRequest,
    query: z.object({ mode: z.enum(["decision", "status"]).default("decision") }),
    response: GateResultView,
  },
  listGateEvaluations: {
    method: "GET",
    path: "/api/v1/gates/evaluations",
    summary: "Recorded gate evaluations, newest first",
    scope: "read",
    query: z.object({ limit: queryNumber({ min: 1, max: 500 }).default(50), service: text().optional() }),
    response: z.object({ evaluations: z.array(GateResultView) }).strict(),
  },
  getGatePolicy: { method: "GET", path: "/api/v1/gates/policies/{name}", summary: "A gate policy (default when never saved)", scope: "read", query: z.object({ name: nonEmptyText(63) }), response: z.object({ name: z.string(), policy: GatePolicySchema }).strict() },
  saveGatePolicy: { method: "PUT", path: "/api/v1/gates/policies/{name}", summary: "Create or replace a gate policy", scope: "write", query: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }), body: z.unknown(), response: z.object({ name: z.string(), policy: GatePolicySchema }).strict() },
  createGateOverride: {
    method: "POST", path: "/api/v1/gates/overrides",
    summary: "Let releases of these services (and version) pass the gate for a while, with a reason; audited, admin only",
    scope: "admin", status: 201, body: GateOverrideRequest, response: z.object({ override: GateOverrideView }).strict(),
  },
  listGateOverrides: { method: "GET", path: "/api/v1/gates/overrides", summary: "Gate overrides, newest first, active or not", scope: "read", response: z.object({ overrides: z.array(GateOverrideView) }).strict() },
  revokeGateOverride: {
    method: "DELETE", path: "/api/v1/gates/overrides/{id}", summary: "End an override now; audited, admin only", scope: "admin",
    query: z.object({ id: nonEmptyText(64) }), response: z.object({ override: GateOverrideView }).strict(),
  },
} satisfies Record<string, Operation>;
