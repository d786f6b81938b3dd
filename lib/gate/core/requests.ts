// What the release-gate API accepts (a gate question, an override) and the override it shows; the contract
// serves these schemas.
import { z } from "zod";
import { ServiceName } from "../../telemetry/core/otlp/service-name";

const Version = z.string().min(1).max(200);

/** The longest interval a canary comparison reads: a week of two versions' spans is already far past the span cap. */
export const MAX_CANARY_WINDOW_MINUTES = 7 * 1440;

export const CanaryBaseline = z
  .object({
    version: Version.optional().describe("The baseline's service.version; omitted: the version that served most of the service's traffic in the hour before the candidate's first span"),
  })
  .strict()
  .describe("Compare the candidate (`version`) with this baseline on every span- or job-based SLO in scope (a canary verdict); needs `version` and exactly one service");
export type CanaryBaseline = z.infer<typeof CanaryBaseline>;

const Instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-12-02T10:00:00Z" });

export const CanaryWindow = z
  .object({
    from: Instant.describe("Start of the compared interval (inclusive)"),
    to: Instant.optional().describe("End of the compared interval (exclusive); omitted: now"),
  })
  .strict()
  .refine((w) => w.to === undefined || Date.parse(w.to) > Date.parse(w.from), { message: "to must be after from", path: ["to"] })
  .refine((w) => w.to === undefined || Date.parse(w.to) - Date.parse(w.from) <= MAX_CANARY_WINDOW_MINUTES * 60_000, {
    message: `the window may span at most ${MAX_CANARY_WINDOW_MINUTES / 1440} days`,
    path: ["to"],
  })
  .describe("The interval both versions are compared over; omitted: from the candidate's first span until now");
export type CanaryWindow = z.infer<typeof CanaryWindow>;

export const GateRequest = z
  .object({
    service: ServiceName.optional(),
    services: z.array(ServiceName).max(100).optional(),
    version: Version.optional(),
    policy: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "policy must be a lowercase slug").default("default"),
    dryRun: z.boolean().default(false),
    baseline: CanaryBaseline.optional(),
    window: CanaryWindow.optional(),
  })
  .transform(({ service, services, ...rest }) => ({ ...rest, services: [...new Set([...(services ?? []), ...(service ? [service] : [])])].sort() }))
  .refine((r) => r.window === undefined || r.baseline !== undefined, { message: "window applies to a canary comparison: send baseline too", path: ["window"] })
  .refine((r) => r.baseline === undefined || r.version !== undefined, { message: "a canary comparison needs the candidate's version", path: ["version"] })
  .refine((r) => r.baseline === undefined || r.services.length === 1, { message: "a canary comparison covers exactly one service", path: ["services"] })
  .refine((r) => r.baseline?.version === undefined || r.baseline.version !== r.version, { message: "the baseline must be another version than the candidate", path: ["baseline", "version"] });
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
