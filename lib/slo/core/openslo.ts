/**
 * OpenSLO v1 YAML export for Tailguard SLO definitions (import lives in openslo-import.ts and is re-exported here).
 *
 * Mapping (Tailguard definition ⇄ OpenSLO v1):
 * - name / displayName / labels     ⇄ SLO metadata.name / displayName / labels (each label a one-value list)
 * - owner                           ⇄ SLO metadata.annotations["tailguard.dev/owner"]
 * - service / description           ⇄ SLO spec.service / spec.description; a `kind: Service` document per service
 * - objectivePercent "99.9"         ⇄ spec.objectives[0].target 0.999 (targetPercent is read too)
 * - window rolling N days           ⇄ spec.timeWindow[0] { duration: Nd, isRolling: true }
 * - window calendarMonth (UTC)      ⇄ spec.timeWindow[0] { duration: 1M, isRolling: false, calendar: { timeZone: UTC } }
 * - budgeting occurrences           ⇄ budgetingMethod: Occurrences
 * - budgeting timeslices            ⇄ budgetingMethod: Timeslices, objectives[0].timeSliceTarget / timeSliceWindow ("1m")
 * - sli availability                ⇄ ratioMetric, good and total with metricSource { type: tailguard, spec: { sli: availability, events: good|total, selector, treat5xxAsError } }
 * - sli latency / jobCompletion / queueWait
 *                                   ⇄ thresholdMetric with metricSource { type: tailguard, spec: { sli, selector | service | queue | destination } },
 *                                     objectives[0] { op: lte, value: thresholdMs } (the value is in milliseconds)
 * - sli metricRatio                 ⇄ ratioMetric, good / total metricSource { type: tailguard, spec: { metric, matchers } }
 * - alertPolicy                     ⇄ one `AlertPolicy` "<slo>-alerts": alertWhenNoData, annotations tailguard.dev/for-minutes,
 *                                     tailguard.dev/no-data-minutes, tailguard.dev/budget-exhausted; one AlertCondition per rule:
 *                                     { severity, condition: { kind: burnrate, op: gte, threshold, lookbackWindow: long window,
 *                                     alertAfter: forMinutes } } with annotations tailguard.dev/short-window and, for rules
 *                                     written as budget consumed, tailguard.dev/budget-consumed-percent (the threshold is then informative).
 *                                     On import a condition without a short window gets long / 12, the workbook's ratio.
 * The indicator and the alert policy are written inline, or as separate `SLI` / `AlertPolicy` documents referenced by
 * `indicatorRef` / `alertPolicyRef`; both forms are read.
 */
import { stringify } from "yaml";
import { burnRateThreshold } from "./burn-rate";
import { ANNOTATION, OPENSLO_API_VERSION, minutesToDuration } from "./openslo-docs";
import { definitionObjective, type SloDefinition, type Sli } from "./definition";
import { formatObjectiveRatio } from "./objective";

export { importOpenSlo, type OpenSloImportResult, type OpenSloIssue, type OpenSloService } from "./openslo-import";


export type OpenSloExportOptions = { style?: "inline" | "referenced"; services?: boolean };
type OpenSloObject = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> };

const tailguardSource = (spec: Record<string, unknown>) => ({ metricSource: { type: "tailguard", spec } });

/** The indicator spec and what the objective must carry for it (threshold SLIs put thresholdMs in objectives[0].value). */
function sliToOpenSlo(sli: Sli): { spec: Record<string, unknown>; objectiveExtras: Record<string, unknown> } {
  switch (sli.kind) {
    case "availability": {
      const common = { sli: "availability", selector: sli.selector, treat5xxAsError: sli.treat5xxAsError };
      return {
        spec: { ratioMetric: { counter: true, good: tailguardSource({ ...common, events: "good" }), total: tailguardSource({ ...common, events: "total" }) } },
        objectiveExtras: {},
      };
    }
    case "metricRatio":
      return { spec: { ratioMetric: { counter: true, good: tailguardSource({ ...sli.good }), total: tailguardSource({ ...sli.total }) } }, objectiveExtras: {} };
    case "latency":
      return threshold({ sli: "latency", selector: sli.selector }, sli.thresholdMs);
    case "jobCompletion":
      return threshold({ sli: "jobCompletion", selector: sli.selector, service: sli.service, queue: sli.queue }, sli.thresholdMs);
    case "queueWait":
      return threshold({ sli: "queueWait", destination: sli.destination }, sli.thresholdMs);
  }
}

function threshold(spec: Record<string, unknown>, thresholdMs: number) {
  return { spec: { thresholdMetric: tailguardSource(dropUndefined(spec)) }, objectiveExtras: { op: "lte", value: thresholdMs } };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** Burn factors are printed rounded; the exact rule comes back from the annotation. */
function roundThreshold(value: number): number {
  return Number(value.toPrecision(12));
}

function alertPolicyObject(definition: SloDefinition): OpenSloObject {
  const policy = definition.alertPolicy;
  const annotations: Record<string, string> = {
    [ANNOTATION.forMinutes]: String(policy.forMinutes),
    [ANNOTATION.budgetExhausted]: String(policy.budgetExhausted),
  };
  if (policy.noDataMinutes !== null) annotations[ANNOTATION.noDataMinutes] = String(policy.noDataMinutes);
  const conditions = policy.burnRateRules.map((rule, index) => {
    const ruleAnnotations: Record<string, string> = { [ANNOTATION.shortWindow]: minutesToDuration(rule.shortWindowMinutes) };
    if (rule.budgetConsumedPercent !== undefined) ruleAnnotations[ANNOTATION.budgetConsumedPercent] = String(rule.budgetConsumedPercent);
    return {
      kind: "AlertCondition",
      metadata: { name: `${definition.name}-${rule.severity}-${index + 1}`, annotations: ruleAnnotations },
      spec: {
        severity: rule.severity,
        condition: {
          kind: "burnrate",
          op: "gte",
          threshold: roundThreshold(burnRateThreshold(rule, definition.window)),
          lookbackWindow: minutesToDuration(rule.longWindowMinutes),
          alertAfter: `${policy.forMinutes}m`,
        },
      },
    };
  });
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: "AlertPolicy",
    metadata: { name: `${definition.name}-alerts`, annotations },
    spec: { alertWhenNoData: policy.noDataMinutes !== null, alertWhenResolved: true, alertWhenBreaching: true, conditions },
  };
}

function sloObjects(definition: SloDefinition, style: "inline" | "referenced"): OpenSloObject[] {
  const { spec: sliSpec, objectiveExtras } = sliToOpenSlo(definition.sli);
  const indicator = { metadata: { name: `${definition.name}-sli` }, spec: sliSpec };
  const objective: Record<string, unknown> = { target: Number(formatObjectiveRatio(definitionObjective(definition))), ...objectiveExtras };
  if (definition.budgeting.method === "timeslices") {
    objective.timeSliceTarget = definition.budgeting.sliceThresholdRatio;
    objective.timeSliceWindow = `${definition.budgeting.sliceMinutes}m`;
  }
  const timeWindow =
    definition.window.type === "rolling"
      ? { duration: `${definition.window.durationDays}d`, isRolling: true }
      : { duration: "1M", isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: definition.window.timeZone } };
  const policy = alertPolicyObject(definition);
  const labels = Object.fromEntries(Object.entries(definition.labels).map(([k, v]) => [k, [v]]));
  const metadata = dropUndefined({
    name: definition.name,
    displayName: definition.displayName,
    labels: Object.keys(labels).length ? labels : undefined,
    annotations: definition.owner !== undefined ? { [ANNOTATION.owner]: definition.owner } : undefined,
  });
  const slo: OpenSloObject = {
    apiVersion: OPENSLO_API_VERSION,
    kind: "SLO",
    metadata,
    spec: dropUndefined({
      description: definition.description || undefined,
      service: definition.service,
      ...(style === "inline" ? { indicator } : { indicatorRef: indicator.metadata.name }),
      budgetingMethod: definition.budgeting.method === "timeslices" ? "Timeslices" : "Occurrences",
      timeWindow: [timeWindow],
      objectives: [objective],
      alertPolicies: style === "inline" ? [{ kind: "AlertPolicy", metadata: policy.metadata, spec: policy.spec }] : [{ alertPolicyRef: policy.metadata.name }],
    }),
  };
  if (style === "inline") return [slo];
  return [{ apiVersion: OPENSLO_API_VERSION, kind: "SLI", ...indicator }, policy, slo];
}

/** OpenSLO objects for the definitions, Service documents first (one per distinct service) unless `services: false`. */
export function definitionsToOpenSloObjects(definitions: readonly SloDefinition[], options: OpenSloExportOptions = {}): OpenSloObject[] {
  const style = options.style ?? "inline";
  const services = options.services === false ? [] : [...new Set(definitions.map((d) => d.service))].sort();
  return [
    ...services.map((name) => ({ apiVersion: OPENSLO_API_VERSION, kind: "Service", metadata: { name }, spec: {} })),
    ...definitions.flatMap((d) => sloObjects(d, style)),
  ];
}

/** Multi-document OpenSLO v1 YAML. */
export function exportOpenSlo(definitions: readonly SloDefinition[], options: OpenSloExportOptions = {}): string {
  return definitionsToOpenSloObjects(definitions, options)
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}
