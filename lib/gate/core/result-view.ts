// A gate evaluation as the API answers it and the CLI reports it: the one zod schema the contract serves and
// lib/gate/store/evaluate.ts returns (as `GateResult`).
import { z } from "zod";

const GateReasonView = z
  .object({
    code: z.string(),
    level: z.enum(["fail", "inconclusive", "warn", "info"]),
    message: z.string(),
    subject: z.object({ type: z.enum(["slo", "alert", "signal", "scope"]), name: z.string() }).strict(),
    figure: z.number().optional(),
    threshold: z.number().optional(),
  })
  .strict();

const CanarySideView = z
  .object({
    events: z.number(),
    badEvents: z.number(),
    ratio: z.number().nullable().describe("badEvents / events; null without events"),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
    capped: z.boolean().describe("Reading stopped at the span cap, so these figures cover the start of the interval only"),
  })
  .strict();

export const CanaryComparisonView = z
  .object({
    slo: z.string(),
    sli: z.enum(["availability", "latency", "jobCompletion", "queueWait", "metricRatio"]),
    candidate: CanarySideView,
    baseline: CanarySideView,
    pValue: z.number().describe("One-sided: the chance of a candidate at least this much worse if both versions behaved alike"),
    test: z.enum(["fisher", "z", "mann_whitney_u"]),
    verdict: z.enum(["worse", "not_worse", "insufficient_data"]),
  })
  .strict();
export type CanaryComparisonView = z.infer<typeof CanaryComparisonView>;

/** Which versions a canary verdict compared, over which interval (null bounds: no candidate span was found). */
export const CanaryView = z
  .object({ candidateVersion: z.string(), baselineVersion: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable() })
  .strict();
export type CanaryView = z.infer<typeof CanaryView>;

export const GateResultView = z
  .object({
    evaluationId: z.string().nullable(),
    decision: z.enum(["pass", "warn", "inconclusive", "fail"]),
    reasons: z.array(GateReasonView),
    evaluatedAt: z.string(),
    services: z.array(z.string()),
    version: z.string().nullable(),
    policy: z.string(),
    replayed: z.boolean(),
    /** Present when the request named a baseline. */
    canary: CanaryView.optional(),
    comparisons: z.array(CanaryComparisonView).optional(),
  })
  .strict();
export type GateResult = z.infer<typeof GateResultView>;
