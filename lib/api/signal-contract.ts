// API operations for saturation and retry-storm signals.
import { z } from "zod";
import type { Operation } from "./contract-types";

const ChartView = z.object({ name: z.string(), points: z.array(z.object({ at: z.string(), value: z.number().nullable() }).strict()) }).strict();
export const SignalView = z
  .object({
    id: z.string(), kind: z.enum(["saturation", "retry_storm", "cache_stampede"]), resource: z.string(), services: z.array(z.string()),
    severity: z.enum(["warning", "critical"]), phase: z.enum(["pending", "open", "resolved"]), summary: z.string(), reasonCodes: z.array(z.string()),
    figures: z.record(z.string(), z.number().nullable()), exampleJobIds: z.array(z.string()), charts: z.array(ChartView),
    firstSeenAt: z.string(), openedAt: z.string().nullable(), resolvedAt: z.string().nullable(), updatedAt: z.string(),
  })
  .strict();

export const signalApi = {
  listSignals: {
    method: "GET", path: "/api/v1/signals", summary: "Saturation and retry-storm signals: open ones first, then recently resolved (charts only in the detail)", scope: "read",
    query: z.object({ status: z.enum(["open", "resolved", "all"]).default("all"), service: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.object({ signals: z.array(SignalView) }).strict(),
  },
  getSignal: {
    method: "GET", path: "/api/v1/signals/{id}", summary: "One signal with its evidence: figures, example job IDs and the series it was judged on", scope: "read",
    query: z.object({ id: z.string().min(1) }), response: z.object({ signal: SignalView }).strict(),
  },
} satisfies Record<string, Operation>;
