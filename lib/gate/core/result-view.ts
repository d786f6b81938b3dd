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
  })
  .strict();
export type GateResult = z.infer<typeof GateResultView>;
