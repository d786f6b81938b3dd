// API operations of the release gate: evaluate, list evaluations, read and save policies.
import { z } from "zod";
import { GatePolicySchema } from "../../gate/core/policy";
import { FlaggerWebhookPayload, flaggerPayloadToGateInput } from "../../gate/core/flagger";
import { GateRequest } from "../../gate/core/requests";
import { GateOverrideRequest, GateOverrideView } from "../../gate/core/requests";
import { GateResultView } from "../../gate/core/result-view";
import { nonEmptyText, queryNumber, ServiceFilter } from "./fields";
import type { Operation } from "./contract-types";

export const gateApi = {
  evaluateGate: {
    method: "POST",
    path: "/api/v1/gates/evaluate",
    summary: "May this release go out? Answers 200 with pass | warn | inconclusive | fail and reasons (with ?mode=status: 200 on pass, 412 otherwise). Send Idempotency-Key to replay the same body for 24 h (422 idempotency_key_reused for another body). With `baseline` (and `version`, one service) it is also a canary verdict: the candidate is compared with the baseline version on every span- or job-based SLO in scope over one interval (`window`, or from the candidate's first span), and the answer gains `canary` and `comparisons`; a significantly worse candidate fails, too little data is inconclusive.",
    scope: "gate",
    body: GateRequest,
    query: z.object({ mode: z.enum(["decision", "status"]).default("decision") }),
    response: GateResultView,
  },
  flaggerGate: {
    method: "POST",
    path: "/api/v1/gates/flagger",
    summary: "Flagger webhook: takes Flagger's payload ({name, namespace, phase, checksum, metadata: {service, version, baseline?, policy?}}), runs the canary gate (candidate `metadata.version` against `metadata.baseline`, or the version that served most traffic before it) and answers 200 with the evaluation on pass, otherwise 412 `gate_not_passed` whose message lists the reasons and whose details are the evaluation (Flagger counts non-2xx as a failed check)",
    scope: "gate",
    // Validated as Flagger sends it, then as the gate question it maps to (so a baseline equal to the version is refused too).
    body: FlaggerWebhookPayload.transform(flaggerPayloadToGateInput).pipe(GateRequest),
    response: GateResultView,
  },
  listGateEvaluations: {
    method: "GET",
    path: "/api/v1/gates/evaluations",
    summary: "Recorded gate evaluations, newest first",
    scope: "read",
    query: z.object({ limit: queryNumber({ min: 1, max: 500 }).default(50), service: ServiceFilter.optional() }),
    response: z.object({ evaluations: z.array(GateResultView) }).strict(),
  },
  getGatePolicy: { method: "GET", path: "/api/v1/gates/policies/{name}", summary: "A gate policy (default when never saved)", scope: "read", params: z.object({ name: nonEmptyText(63) }), response: z.object({ name: z.string(), policy: GatePolicySchema }).strict() },
  saveGatePolicy: { method: "PUT", path: "/api/v1/gates/policies/{name}", summary: "Create or replace a gate policy", scope: "write", params: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }), body: z.unknown(), response: z.object({ name: z.string(), policy: GatePolicySchema }).strict() },
  createGateOverride: {
    method: "POST", path: "/api/v1/gates/overrides",
    summary: "Let releases of these services (and version) pass the gate for a while, with a reason; audited, admin only",
    scope: "admin", status: 201, body: GateOverrideRequest, response: z.object({ override: GateOverrideView }).strict(),
  },
  listGateOverrides: { method: "GET", path: "/api/v1/gates/overrides", summary: "Gate overrides, newest first, active or not", scope: "read", response: z.object({ overrides: z.array(GateOverrideView) }).strict() },
  revokeGateOverride: {
    method: "DELETE", path: "/api/v1/gates/overrides/{id}", summary: "End an override now; audited, admin only", scope: "admin",
    params: z.object({ id: nonEmptyText(64) }), response: z.object({ override: GateOverrideView }).strict(),
  },
} satisfies Record<string, Operation>;
