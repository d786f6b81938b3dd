// A signal as the API and the console show it: the one zod schema the store's reads return and the contract serves.
import { z } from "zod";

const ChartView = z.object({ name: z.string(), points: z.array(z.object({ at: z.string(), value: z.number().nullable() }).strict()) }).strict();

export const SignalPhase = z.enum(["pending", "open", "resolved"]);
export type SignalPhase = z.infer<typeof SignalPhase>;

export const SignalView = z
  .object({
    id: z.string(), kind: z.enum(["saturation", "retry_storm", "cache_stampede"]), resource: z.string(), services: z.array(z.string()),
    severity: z.enum(["warning", "critical"]), phase: SignalPhase, summary: z.string(), reasonCodes: z.array(z.string()),
    figures: z.record(z.string(), z.number().nullable()), exampleJobIds: z.array(z.string()), charts: z.array(ChartView),
    firstSeenAt: z.string(), openedAt: z.string().nullable(), resolvedAt: z.string().nullable(), updatedAt: z.string(),
  })
  .strict();
export type SignalView = z.infer<typeof SignalView>;
