// Detector thresholds saved from the console or the API: one validated document in `settings`, layered over the
// operator's TAILGUARD_DETECTION_THRESHOLDS (lib/signals/core/thresholds.ts says in which order). Every change is audited.
import { z } from "zod";
import { recordAudit } from "../../audit/audit";
import type { ServiceContext } from "../../context/service-context";
import type { Database } from "../../db/client";
import { DETECTORS, explainThresholds, thresholdIssueMessage, type ExplainedThresholds, type ThresholdConfig, ThresholdConfigSchema, type ThresholdLayer, type ThresholdOverrides, ThresholdOverridesSchema } from "../core/thresholds";
import { DomainError } from "../../errors";

const SETTING_KEY = "detection.thresholds";

export type StoredThresholds = {
  config: ThresholdConfig;
  updatedAt: Date | null;
  /** The stored document no longer validates (e.g. edited by hand); detection ignores it until it is saved again. */
  error: string | null;
};

const EMPTY: ThresholdConfig = { defaults: {}, services: {} };

function issuesMessage(issues: z.core.$ZodIssue[], prefix: string): string {
  return issueDetails(issues, prefix).map((d) => `${d.path}: ${d.message}`).join("; ");
}

function issueDetails(issues: z.core.$ZodIssue[], prefix: string): { path: string; message: string }[] {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: thresholdIssueMessage(i) }));
}

/** Each problem with the field it names (`overrides.saturation.minBacklog`), so the console can put it beside its box. */
function invalidThresholds(issues: z.core.$ZodIssue[], prefix: string): DomainError {
  return new DomainError("invalid", issuesMessage(issues, prefix), issueDetails(issues, prefix));
}

export async function loadConsoleThresholds(db: Database): Promise<StoredThresholds> {
  const row = await db.prisma.setting.findUnique({ where: { key: SETTING_KEY } });
  if (!row) return { config: EMPTY, updatedAt: null, error: null };
  const { config, error } = parseStored(row.value);
  return { config: config ?? EMPTY, updatedAt: row.updatedAt, error };
}

function parseStored(value: string): { config: ThresholdConfig | null; error: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { config: null, error: "the stored document is not JSON" };
  }
  const parsed = ThresholdConfigSchema.safeParse(json);
  return parsed.success ? { config: parsed.data, error: null } : { config: null, error: issuesMessage(parsed.error.issues, "") };
}

/** The layers detection runs with: the environment's, then the console's. */
function layersOf(environment: ThresholdConfig, stored: StoredThresholds): ThresholdLayer[] {
  return [{ source: "environment", config: environment }, { source: "console", config: stored.config }];
}

export async function loadThresholdLayers(db: Database, environment: ThresholdConfig): Promise<{ layers: ThresholdLayer[]; stored: StoredThresholds }> {
  const stored = await loadConsoleThresholds(db);
  return { layers: layersOf(environment, stored), stored };
}

/** Drops detectors without overrides and scopes without detectors, so "reset" leaves nothing behind. */
function compactOverrides(o: ThresholdOverrides): ThresholdOverrides {
  const out: ThresholdOverrides = {};
  for (const d of DETECTORS) {
    const fields = Object.fromEntries(Object.entries(o[d] ?? {}).filter(([, v]) => v !== undefined));
    if (Object.keys(fields).length > 0) out[d] = fields as never;
  }
  return out;
}

function compactConfig(c: ThresholdConfig): ThresholdConfig {
  const services = Object.entries(c.services).map(([s, o]) => [s, compactOverrides(o)] as const).filter(([, o]) => Object.keys(o).length > 0);
  return { defaults: compactOverrides(c.defaults), services: Object.fromEntries(services.sort(([a], [b]) => a.localeCompare(b))) };
}

async function write(ctx: ServiceContext, change: (current: ThresholdConfig) => ThresholdConfig, audit: { action: string; targetId: string; details: Record<string, unknown> }): Promise<StoredThresholds> {
  return ctx.db.prisma.$transaction(async (tx) => {
    // Two editors saving different services at once must not undo each other: read-modify-write under a lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SETTING_KEY}))`;
    const row = await tx.setting.findUnique({ where: { key: SETTING_KEY } });
    // A stored document that no longer validates is replaced, as detection already ignores it.
    const next = compactConfig(change(row ? (parseStored(row.value).config ?? EMPTY) : EMPTY));
    const value = JSON.stringify(next);
    const saved = await tx.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value }, update: { value } });
    await recordAudit(tx, { actor: ctx.actor, action: audit.action, targetType: "detection_thresholds", targetId: audit.targetId, details: audit.details, requestId: ctx.requestId });
    return { config: next, updatedAt: saved.updatedAt, error: null };
  });
}

/** Replaces every console override (thresholds as code: the document from GET, edited and sent back). */
export async function saveConsoleThresholds(ctx: ServiceContext, input: unknown): Promise<StoredThresholds> {
  const parsed = ThresholdConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidThresholds(parsed.error.issues, "");
  return write(ctx, () => parsed.data, { action: "detection.thresholds.replace", targetId: "*", details: { config: parsed.data } });
}

/** Replaces the overrides of one scope (`null`: all services), leaving the others as they are; empty overrides reset the scope. */
export async function saveScopeThresholds(ctx: ServiceContext, service: string | null, input: unknown): Promise<StoredThresholds> {
  const parsed = ThresholdOverridesSchema.safeParse(input);
  if (!parsed.success) throw invalidThresholds(parsed.error.issues, "overrides");
  const overrides = compactOverrides(parsed.data);
  return write(
    ctx,
    (current) => (service === null ? { ...current, defaults: overrides } : { ...current, services: { ...current.services, [service]: overrides } }),
    { action: "detection.thresholds.save", targetId: service ?? "*", details: { service, overrides } },
  );
}

export type ThresholdsDescription = {
  console: ThresholdConfig;
  environment: ThresholdConfig;
  updatedAt: string | null;
  storedError: string | null;
  services: string[];
  effective: { service: string | null } & ExplainedThresholds;
};

/** Both layers, and what detection uses for `service` (null: services without overrides of their own). */
export function describeThresholds(stored: StoredThresholds, environment: ThresholdConfig, service: string | null): ThresholdsDescription {
  const layers = layersOf(environment, stored);
  const services = [...new Set(layers.flatMap((l) => Object.keys(l.config.services)))].sort();
  return {
    console: stored.config,
    environment,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
    storedError: stored.error,
    services,
    effective: { service, ...explainThresholds(layers, service) },
  };
}
