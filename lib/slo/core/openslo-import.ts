/** OpenSLO v1 YAML import: multi-document, inline or referenced indicators and alert policies, errors naming document index and field. */
import { parseAllDocuments } from "yaml";
import type { z } from "zod";
import { SloDefinition, zodIssuesToFieldIssues, type BurnRateRule } from "./definition";
import { formatObjectivePercent, parseObjectivePercent, parseObjectiveRatio } from "./objective";
import {
  ANNOTATION,
  AlertPolicySpec,
  InlineAlertCondition,
  Metadata,
  OPENSLO_API_VERSION,
  ServiceSpec,
  SliSpec,
  SloSpec,
  durationToMinutes,
} from "./openslo-docs";

export type OpenSloIssue = { documentIndex: number; kind?: string; name?: string; field: string; message: string };
export type OpenSloService = { name: string; displayName?: string; description?: string };
export type OpenSloImportResult =
  | { ok: true; definitions: SloDefinition[]; services: OpenSloService[] }
  | { ok: false; reason: string; issues: OpenSloIssue[] };

type Located<T> = { documentIndex: number; prefix: string; kind: string; name: string; metadata: Metadata; spec: T };
type Failure = { field: string; message: string };
class ImportFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}
const fail = (field: string, message: string): never => {
  throw new ImportFailure({ field, message });
};

/** Where a Tailguard field comes from in an SLO document, so definition errors point at the YAML. */
const FIELD_ORIGIN: Record<string, string> = {
  name: "metadata.name",
  displayName: "metadata.displayName",
  owner: `metadata.annotations.${ANNOTATION.owner}`,
  labels: "metadata.labels",
  service: "spec.service",
  description: "spec.description",
  sli: "spec.indicator.spec",
  objectivePercent: "spec.objectives.0.target",
  window: "spec.timeWindow.0",
  budgeting: "spec.objectives.0",
  alertPolicy: "spec.alertPolicies",
};

/** OpenSLO YAML larger than this is refused unread (the JSON request body is bounded the same way). */
export const MAX_OPENSLO_YAML_CHARS = 1_000_000;
// Aliases expand on conversion: a few lines of nested `*a` references make billions of nodes.
const MAX_YAML_ALIASES = 100;

export function importOpenSlo(yamlText: string): OpenSloImportResult {
  const issues: OpenSloIssue[] = [];
  const objects: Located<unknown>[] = [];
  if (yamlText.length > MAX_OPENSLO_YAML_CHARS) return { ok: false, reason: `OpenSLO YAML over ${MAX_OPENSLO_YAML_CHARS} characters`, issues: [{ documentIndex: 0, field: "(yaml)", message: "too large" }] };
  parseAllDocuments(yamlText).forEach((doc, documentIndex) => {
    if ("errors" in doc && doc.errors.length > 0) {
      for (const error of doc.errors) issues.push({ documentIndex, field: "(yaml)", message: error.message });
      return;
    }
    let content: unknown;
    try {
      content = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      // yaml throws a ReferenceError for too many aliases, and for an alias to an anchor it has not seen.
      issues.push({ documentIndex, field: "(yaml)", message: (error as Error).message });
      return;
    }
    if (content === null || content === undefined) return;
    const items = Array.isArray(content) ? content.map((item, i) => [`${i}.`, item] as const) : [["", content] as const];
    for (const [prefix, item] of items) {
      const located = locate(item, documentIndex, prefix, issues);
      if (located) objects.push(located);
    }
  });

  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const slis = indexByName(byKind("SLI"), SliSpec, issues);
  const policySpecs = indexByName(byKind("AlertPolicy"), AlertPolicySpec, issues);
  const policies = new Map<string, PolicyWithAnnotations>();
  for (const o of byKind("AlertPolicy")) {
    const spec = policySpecs.get(o.name);
    if (spec) policies.set(o.name, { spec, annotations: o.metadata.annotations ?? {} });
  }
  const conditions = indexByName(
    byKind("AlertCondition").map((o) => ({ ...o, spec: { kind: "AlertCondition", metadata: o.metadata, spec: o.spec } })),
    InlineAlertCondition,
    issues,
  );
  const services: OpenSloService[] = [];
  for (const o of byKind("Service")) {
    const spec = checked(o, ServiceSpec, issues);
    if (spec) services.push(dropUndefined({ name: o.name, displayName: o.metadata.displayName, description: spec.description }));
  }

  const definitions: SloDefinition[] = [];
  const seen = new Set<string>();
  for (const o of byKind("SLO")) {
    const spec = checked(o, SloSpec, issues);
    if (!spec) continue;
    const at = (failure: Failure): OpenSloIssue => ({ documentIndex: o.documentIndex, kind: "SLO", name: o.name, field: o.prefix + failure.field, message: failure.message });
    if (seen.has(o.name)) {
      issues.push(at({ field: "metadata.name", message: `duplicate SLO name ${o.name}` }));
      continue;
    }
    seen.add(o.name);
    try {
      const ruleOrigins: string[] = [];
      const raw = sloToRawDefinition(o, spec, { slis, policies, conditions }, ruleOrigins);
      const parsed = SloDefinition.safeParse(raw);
      if (parsed.success) definitions.push(parsed.data);
      else for (const i of zodIssuesToFieldIssues(parsed.error)) issues.push(at({ field: yamlFieldOf(i.field, ruleOrigins), message: `${i.field}: ${i.message}` }));
    } catch (error) {
      if (!(error instanceof ImportFailure)) throw error;
      issues.push(at(error.failure));
    }
  }
  if (issues.length > 0) {
    const reason = issues.map((i) => `document ${i.documentIndex}${i.kind ? ` (${i.kind}${i.name ? ` ${i.name}` : ""})` : ""} ${i.field}: ${i.message}`).join("; ");
    return { ok: false, reason, issues };
  }
  return { ok: true, definitions, services };
}

const RULE_WINDOW_FIELD = /^alertPolicy\.burnRateRules\.(\d+)\.(longWindowMinutes|shortWindowMinutes)$/;

/** The YAML field a definition issue comes from; an alert window points at its condition's lookbackWindow or short-window annotation. */
function yamlFieldOf(field: string, ruleOrigins: readonly string[]): string {
  const rule = RULE_WINDOW_FIELD.exec(field);
  const origin = rule ? ruleOrigins[Number(rule[1])] : undefined;
  if (rule && origin !== undefined) return rule[2] === "longWindowMinutes" ? `${origin}.spec.condition.lookbackWindow` : `${origin}.metadata.annotations`;
  return FIELD_ORIGIN[field.split(".")[0] ?? ""] ?? field;
}

function locate(item: unknown, documentIndex: number, prefix: string, issues: OpenSloIssue[]): Located<unknown> | null {
  const push = (field: string, message: string) => issues.push({ documentIndex, field: prefix + field, message });
  if (typeof item !== "object" || item === null || Array.isArray(item)) return push("(root)", "expected an OpenSLO object"), null;
  const record = item as Record<string, unknown>;
  if (record.apiVersion !== OPENSLO_API_VERSION) return push("apiVersion", `apiVersion must be ${OPENSLO_API_VERSION}`), null;
  if (typeof record.kind !== "string") return push("kind", "kind is required"), null;
  const metadata = Metadata.safeParse(record.metadata);
  if (!metadata.success) {
    for (const i of zodIssuesToFieldIssues(metadata.error, "metadata")) issues.push({ documentIndex, kind: record.kind, field: prefix + i.field, message: i.message });
    return null;
  }
  return { documentIndex, prefix, kind: record.kind, name: metadata.data.name, metadata: metadata.data, spec: record.spec };
}

function checked<S extends z.ZodType>(o: Located<unknown>, schema: S, issues: OpenSloIssue[]): z.output<S> | null {
  const parsed = schema.safeParse(o.spec);
  if (parsed.success) return parsed.data;
  for (const i of zodIssuesToFieldIssues(parsed.error, "spec")) {
    issues.push({ documentIndex: o.documentIndex, kind: o.kind, name: o.name, field: o.prefix + i.field, message: i.message });
  }
  return null;
}

function indexByName<S extends z.ZodType>(objects: Located<unknown>[], schema: S, issues: OpenSloIssue[]): Map<string, z.output<S>> {
  const map = new Map<string, z.output<S>>();
  for (const o of objects) {
    const spec = checked(o, schema, issues);
    if (spec !== null) map.set(o.name, spec);
  }
  return map;
}

type PolicyWithAnnotations = { spec: AlertPolicySpec; annotations: Record<string, string> };
type Refs = {
  slis: Map<string, SliSpec>;
  policies: Map<string, PolicyWithAnnotations>;
  conditions: Map<string, z.output<typeof InlineAlertCondition>>;
};

function sloToRawDefinition(o: Located<unknown>, spec: SloSpec, refs: Refs, ruleOrigins: string[]): Record<string, unknown> {
  const objective = spec.objectives[0] ?? fail("spec.objectives", "one objective is required");
  const indicator = spec.indicator?.spec ?? (spec.indicatorRef !== undefined ? refs.slis.get(spec.indicatorRef) : undefined);
  if (!indicator) {
    fail(spec.indicatorRef ? "spec.indicatorRef" : "spec.indicator", spec.indicatorRef ? `no SLI document named ${spec.indicatorRef}` : "indicator or indicatorRef is required");
  }
  const labels = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
  return dropUndefined({
    name: o.name,
    displayName: o.metadata.displayName,
    owner: o.metadata.annotations?.[ANNOTATION.owner],
    labels,
    service: spec.service,
    description: spec.description ?? "",
    sli: sliFromOpenSlo(indicator as SliSpec, objective, spec.indicator ? "spec.indicator.spec" : "spec.indicatorRef"),
    objectivePercent: objectiveFromOpenSlo(objective),
    window: windowFromOpenSlo(spec.timeWindow[0]!),
    budgeting:
      spec.budgetingMethod === "Occurrences"
        ? { method: "occurrences" }
        : {
            method: "timeslices",
            sliceMinutes: durationToMinutes(objective.timeSliceWindow ?? "1m") ?? fail("spec.objectives.0.timeSliceWindow", "timeSliceWindow must be a duration in minutes such as 1m"),
            sliceThresholdRatio: objective.timeSliceTarget ?? fail("spec.objectives.0.timeSliceTarget", "Timeslices needs timeSliceTarget"),
          },
    alertPolicy: alertPolicyFromOpenSlo(spec.alertPolicies, refs, ruleOrigins),
  });
}

type OpenSloObjective = SloSpec["objectives"][number];

function objectiveFromOpenSlo(objective: OpenSloObjective): string {
  const parsed =
    objective.target !== undefined
      ? parseObjectiveRatio(objective.target)
      : objective.targetPercent !== undefined
        ? parseObjectivePercent(objective.targetPercent)
        : { ok: false as const, reason: "target is required" };
  if (!parsed.ok) fail(`spec.objectives.0.${objective.target !== undefined || objective.targetPercent === undefined ? "target" : "targetPercent"}`, parsed.reason);
  return parsed.ok ? formatObjectivePercent(parsed.objective) : "";
}

function windowFromOpenSlo(window: SloSpec["timeWindow"][number]): Record<string, unknown> {
  if (window.isRolling) {
    const minutes = durationToMinutes(window.duration);
    if (minutes === null || minutes % 1440 !== 0) fail("spec.timeWindow.0.duration", "a rolling window must be whole days, such as 28d");
    return { type: "rolling", durationDays: (minutes ?? 0) / 1440 };
  }
  if (window.duration !== "1M") fail("spec.timeWindow.0.duration", "calendar windows must be one month (1M)");
  return { type: "calendarMonth", timeZone: window.calendar?.timeZone ?? "UTC" };
}

const THRESHOLD_SLIS = new Set(["latency", "jobCompletion", "queueWait"]);

function sliFromOpenSlo(spec: SliSpec, objective: OpenSloObjective, field: string): Record<string, unknown> {
  const tailguard = (source: { metricSource: { type: string; spec: Record<string, unknown> } } | undefined, at: string) => {
    if (!source) return fail(`${field}.${at}`, `${at} is required`);
    if (source.metricSource.type.toLowerCase() !== "tailguard") {
      fail(`${field}.${at}.metricSource.type`, `metricSource type ${source.metricSource.type} is not supported: Tailguard computes SLIs from telemetry it ingests, use type tailguard`);
    }
    return source.metricSource.spec;
  };
  if (spec.thresholdMetric) {
    const { sli, thresholdMs, ...rest } = tailguard(spec.thresholdMetric, "thresholdMetric");
    if (typeof sli !== "string" || !THRESHOLD_SLIS.has(sli)) fail(`${field}.thresholdMetric.metricSource.spec.sli`, "sli must be latency, jobCompletion or queueWait");
    if (objective.op !== undefined && objective.op !== "lte" && objective.op !== "lt") fail("spec.objectives.0.op", "good events are at or under the threshold: op must be lte");
    const value = objective.value ?? thresholdMs ?? fail("spec.objectives.0.value", "value (the threshold in milliseconds) is required");
    return { ...rest, kind: sli, thresholdMs: value };
  }
  const ratio = spec.ratioMetric!;
  if (!ratio.good) fail(`${field}.ratioMetric.good`, "good is required (Tailguard does not read bad/total ratios)");
  const good = tailguard(ratio.good, "ratioMetric.good");
  const total = tailguard(ratio.total, "ratioMetric.total");
  if (good.sli === "availability") return { kind: "availability", selector: good.selector, treat5xxAsError: good.treat5xxAsError };
  return { kind: "metricRatio", good: { metric: good.metric, matchers: good.matchers }, total: { metric: total.metric, matchers: total.matchers } };
}

/** `ruleOrigins` receives, per burn-rate rule, the condition it came from. */
function alertPolicyFromOpenSlo(entries: SloSpec["alertPolicies"], refs: Refs, ruleOrigins: string[]): Record<string, unknown> | undefined {
  if (entries.length === 0) return undefined;
  const policies = entries.map((entry, index): PolicyWithAnnotations => {
    const ref = typeof entry === "string" ? entry : "alertPolicyRef" in entry ? (entry.alertPolicyRef as string) : undefined;
    if (ref === undefined) return { spec: AlertPolicySpec.parse((entry as { spec: unknown }).spec), annotations: (entry as { metadata: Metadata }).metadata.annotations ?? {} };
    return refs.policies.get(ref) ?? fail(`spec.alertPolicies.${index}`, `no AlertPolicy document named ${ref}`);
  });
  const rules: BurnRateRule[] = [];
  let firstAlertAfter: number | undefined;
  policies.forEach(({ spec }, p) => {
    spec.conditions.forEach((entry, c) => {
      const at = `spec.alertPolicies.${p}.spec.conditions.${c}`;
      const condition = "conditionRef" in entry ? (refs.conditions.get(entry.conditionRef as string) ?? fail(at, `no AlertCondition document named ${entry.conditionRef}`)) : entry;
      const { severity, condition: burn } = condition.spec;
      if (severity !== "page" && severity !== "ticket") fail(`${at}.spec.severity`, "severity must be page or ticket");
      const longWindowMinutes = durationToMinutes(burn.lookbackWindow) ?? fail(`${at}.spec.condition.lookbackWindow`, "lookbackWindow must be a duration such as 1h");
      const annotations = condition.metadata.annotations ?? {};
      const shortText = annotations[ANNOTATION.shortWindow];
      const shortWindowMinutes = shortText !== undefined ? (durationToMinutes(shortText) ?? fail(`${at}.metadata.annotations`, `${ANNOTATION.shortWindow} must be a duration`)) : Math.max(1, Math.round(longWindowMinutes / 12));
      const consumed = annotations[ANNOTATION.budgetConsumedPercent];
      firstAlertAfter ??= burn.alertAfter !== undefined ? (durationToMinutes(burn.alertAfter) ?? undefined) : undefined;
      ruleOrigins.push(at);
      rules.push({ severity: severity as BurnRateRule["severity"], longWindowMinutes, shortWindowMinutes, ...(consumed !== undefined ? { budgetConsumedPercent: Number(consumed) } : { burnRate: burn.threshold }) });
    });
  });
  const first = policies[0]!;
  const annotations = { ...policies.map((p) => p.annotations).find((a) => Object.keys(a).length > 0) };
  const noDataText = annotations[ANNOTATION.noDataMinutes];
  return dropUndefined({
    burnRateRules: rules,
    forMinutes: annotations[ANNOTATION.forMinutes] !== undefined ? Number(annotations[ANNOTATION.forMinutes]) : (firstAlertAfter ?? 0),
    noDataMinutes: first.spec.alertWhenNoData === false ? null : noDataText !== undefined ? Number(noDataText) : undefined,
    budgetExhausted: annotations[ANNOTATION.budgetExhausted] !== undefined ? annotations[ANNOTATION.budgetExhausted] === "true" : undefined,
  });
}

function dropUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
