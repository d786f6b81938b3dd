// What the release-gate API accepts (a gate question, an override) and the override it shows; the contract
// serves these schemas.
import { z } from "zod";
import { ServiceName } from "../../telemetry/core/otlp/service-name";

export const GateRequest = z
  .object({
    service: ServiceName.optional(),
    services: z.array(ServiceName).max(100).optional(),
    version: z.string().min(1).max(200).optional(),
    policy: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "policy must be a lowercase slug").default("default"),
    dryRun: z.boolean().default(false),
  })
  .transform(({ service, services, ...rest }) => ({ ...rest, services: [...new Set([...(services ?? []), ...(service ? [service] : [])])].sort() }));
export type GateRequest = z.infer<typeof GateRequest>;

export const GateOverrideRequest = z
  .object({
    service: ServiceName.optional(),
    services: z.array(ServiceName).max(100).optional(),
    version: z.string().min(1).max(200).optional(),
    reason: z.string().trim().min(10, "say why, in at least 10 characters").max(1000),
    expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  })
  .transform(({ service, services, ...rest }) => ({ ...rest, services: [...new Set([...(services ?? []), ...(service ? [service] : [])])].sort() }))
  .refine((r) => r.services.length > 0, { message: "name the service(s) the override covers", path: ["services"] });
export type GateOverrideRequest = z.infer<typeof GateOverrideRequest>;

/** An override as the API and the console show it (the contract serves this schema). */
export const GateOverrideView = z
  .object({
    id: z.string(), services: z.array(z.string()), version: z.string().nullable(), reason: z.string(), createdBy: z.string(), createdAt: z.string(),
    expiresAt: z.string(), revokedAt: z.string().nullable(), revokedBy: z.string().nullable(), active: z.boolean(),
  })
  .strict();
export type GateOverrideView = z.infer<typeof GateOverrideView>;
