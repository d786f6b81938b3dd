// API operations for SLO definitions (CRUD, apply as code, OpenSLO export).
import { z } from "zod";
import { SloDefinition } from "../../slo/core/definition";
import { MAX_OPENSLO_YAML_CHARS } from "../../slo/core/openslo-import";
import { nonEmptyText, ServiceFilter, text } from "./fields";
import type { Operation } from "./contract-types";

export const SloView = z.object({ id: z.string(), version: z.number().int(), createdAt: z.string(), updatedAt: z.string(), definition: SloDefinition }).strict();

const StatusView = z
  .object({
    evaluatedAt: z.string(),
    noData: z.boolean(),
    sliRatio: z.number().nullable(),
    // Null when noData: an SLO without events has no budget figure, not a full one.
    budgetRemainingRatio: z.number().nullable(),
    budgetConsumedRatio: z.number().nullable(),
    firingSeverity: z.string().nullable(),
    exhaustionAt: z.string().nullable(),
    burnRates: z.array(z.object({ windowMinutes: z.number(), burnRate: z.number().nullable() }).strict()),
  })
  .strict();
const AlertView = z.object({ key: z.string(), kind: z.string(), severity: z.string(), status: z.string(), since: z.string().nullable(), summary: z.string() }).strict();
export const SloOverviewView = SloView.extend({ status: StatusView.nullable(), alerts: z.array(AlertView) }).strict();
const SeriesPoint = z.object({ at: z.string(), sliRatio: z.number().nullable(), budgetRemainingRatio: z.number().nullable(), idealRemainingRatio: z.number(), events: z.number() }).strict();
const EventView = z.object({ id: z.string(), type: z.string(), key: z.string(), severity: z.string(), at: z.string(), summary: z.string() }).strict();

export const RebuildView = z.object({ status: z.enum(["pending", "running", "done", "failed"]), progressRatio: z.number(), message: z.string(), requestedAt: z.string(), finishedAt: z.string().nullable() }).strict();

const Name = z.object({ name: nonEmptyText() });

const DiffView = z
  .object({
    creates: z.array(z.string()),
    updates: z.array(z.object({ name: z.string(), changedFields: z.array(z.string()) }).strict()),
    unchanged: z.array(z.string()),
    deletes: z.array(z.string()),
  })
  .strict();

export const ApplyInput = z
  .object({
    /** OpenSLO v1 YAML (one or more documents), as `tailguard apply -f` sends it. */
    yaml: text(MAX_OPENSLO_YAML_CHARS).optional(),
    /** Or Tailguard definitions as JSON. */
    definitions: z.array(z.unknown()).max(10_000).optional(),
    dryRun: z.boolean().default(true),
    prune: z.boolean().default(false),
  })
  .refine((b) => (b.yaml === undefined) !== (b.definitions === undefined), "send exactly one of yaml or definitions");

export const sloApi = {
  listSlos: { method: "GET", path: "/api/v1/slos", summary: "List SLO definitions", scope: "read", query: z.object({ service: ServiceFilter.optional() }), response: z.object({ slos: z.array(SloOverviewView) }).strict() },
  sloStatus: { method: "GET", path: "/api/v1/slos/{name}/status", summary: "An SLO's latest evaluation, alerts, hourly SLI and budget series, and recent alert events", scope: "read", params: Name, response: z.object({ slo: SloOverviewView, series: z.array(SeriesPoint), events: z.array(EventView), rebuild: RebuildView.nullable() }).strict() },
  rebuildSlo: { method: "POST", path: "/api/v1/slos/{name}/rebuild", summary: "Recompute the SLO's minute rollups from the raw telemetry still stored (runs in the background; progress in /status)", scope: "write", params: Name, response: z.object({ rebuild: RebuildView }).strict(), status: 202 },
  createSlo: { method: "POST", path: "/api/v1/slos", summary: "Create an SLO", scope: "write", body: z.unknown(), response: z.object({ slo: SloView }).strict(), status: 201 },
  getSlo: { method: "GET", path: "/api/v1/slos/{name}", summary: "One SLO definition", scope: "read", params: Name, response: z.object({ slo: SloView }).strict() },
  replaceSlo: { method: "PUT", path: "/api/v1/slos/{name}", summary: "Replace an SLO's definition", scope: "write", params: Name, body: z.unknown(), response: z.object({ slo: SloView }).strict() },
  deleteSlo: { method: "DELETE", path: "/api/v1/slos/{name}", summary: "Delete an SLO", scope: "write", params: Name, response: z.object({ deleted: z.string() }).strict() },
  applySlos: { method: "POST", path: "/api/v1/slos/apply", summary: "Apply a desired set of SLOs (OpenSLO YAML or JSON); dryRun returns the diff only", scope: "write", body: ApplyInput, response: z.object({ diff: DiffView, applied: z.boolean(), pruned: z.boolean() }).strict() },
  exportSlos: { method: "GET", path: "/api/v1/slos/export", summary: "All SLOs as OpenSLO v1 YAML", scope: "read", response: z.string() },
} satisfies Record<string, Operation>;
