/** Prometheus recording and alerting rules (the Sloth naming users know) for an SLO whose SLI is a metric ratio. */
import { stringify } from "yaml";
import { burnRateThreshold } from "./burn-rate";
import { definitionObjective, nominalWindowMinutes, type AttributeMatcher, type MetricQuery, type SloDefinition } from "./definition";
import { formatErrorBudgetRatio, formatObjectiveRatio } from "./objective";
import { minutesToDuration } from "./openslo-docs";

export type RecordingRule = { record: string; expr: string; labels: Record<string, string> };
export type AlertingRule = { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> };
export type RuleGroup = { name: string; rules: (RecordingRule | AlertingRule)[] };
export type PrometheusRuleFile = { groups: RuleGroup[] };
export type AlertRulesResult = { ok: true; rules: PrometheusRuleFile } | { ok: false; reason: string };

/** OTLP names may carry dots; Prometheus names and labels may not (the OTLP → Prometheus translation uses "_"). */
export function prometheusName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function selector(query: MetricQuery): string {
  const matchers = query.matchers.map((m: AttributeMatcher) => `${prometheusName(m.key).replace(/:/g, "_")}${m.op}${JSON.stringify(m.value)}`);
  return `${prometheusName(query.metric)}${matchers.length ? `{${matchers.join(",")}}` : ""}`;
}

/** A threshold without float noise: 13.440000000000001 → 13.44. */
function number(value: number): string {
  return String(Number(value.toPrecision(12)));
}

export function generateAlertRules(definition: SloDefinition): AlertRulesResult {
  const { sli } = definition;
  if (sli.kind !== "metricRatio") return { ok: false, reason: `Prometheus rules need a metricRatio SLI; ${definition.name} is ${sli.kind}` };
  const objective = definitionObjective(definition);
  const budget = formatErrorBudgetRatio(objective);
  const id = `${definition.service}-${definition.name}`;
  const ids = { tailguard_id: id, tailguard_service: definition.service, tailguard_slo: definition.name };
  const match = `{tailguard_id=${JSON.stringify(id)}, tailguard_service=${JSON.stringify(definition.service)}, tailguard_slo=${JSON.stringify(definition.name)}}`;
  const periodMinutes = nominalWindowMinutes(definition.window);
  const period = minutesToDuration(periodMinutes);
  const rules = definition.alertPolicy.burnRateRules;
  const windows = [...new Set([5, ...rules.flatMap((r) => [r.shortWindowMinutes, r.longWindowMinutes])])].sort((a, b) => a - b);

  const sliRules: RecordingRule[] = windows.map((minutes) => {
    const w = minutesToDuration(minutes);
    const total = `sum(rate(${selector(sli.total)}[${w}]))`;
    // A window where every event failed has no good series at all; `or vector(0)` keeps that an error ratio of 1.
    const good = `(sum(rate(${selector(sli.good)}[${w}])) or vector(0))`;
    return { record: `slo:sli_error:ratio_rate${w}`, expr: `(${total} - ${good})\n/\n${total}\n`, labels: { ...ids, tailguard_window: w } };
  });
  // The period ratio sums 5-minute rates in numerator and denominator: the true event ratio, weighted by traffic,
  // unlike averaging the 5-minute ratios (which lets a quiet night outweigh a busy afternoon).
  sliRules.push({
    record: `slo:sli_error:ratio_rate${period}`,
    expr: `sum_over_time(slo:sli_error_events:rate5m${match}[${period}])\n/ ignoring (tailguard_window)\nsum_over_time(slo:sli_total_events:rate5m${match}[${period}])\n`,
    labels: { ...ids, tailguard_window: period },
  });
  const eventRules: RecordingRule[] = [
    { record: "slo:sli_total_events:rate5m", expr: `sum(rate(${selector(sli.total)}[5m]))`, labels: { ...ids, tailguard_window: "5m" } },
    {
      record: "slo:sli_error_events:rate5m",
      expr: `sum(rate(${selector(sli.total)}[5m])) - (sum(rate(${selector(sli.good)}[5m])) or vector(0))`,
      labels: { ...ids, tailguard_window: "5m" },
    },
  ];
  const metaRules: RecordingRule[] = [
    { record: "slo:objective:ratio", expr: `vector(${formatObjectiveRatio(objective)})`, labels: ids },
    { record: "slo:error_budget:ratio", expr: `vector(${budget})`, labels: ids },
    { record: "slo:time_period:days", expr: `vector(${periodMinutes / 1440})`, labels: ids },
    { record: "slo:current_burn_rate:ratio", expr: `slo:sli_error:ratio_rate5m${match}\n/ on (tailguard_id, tailguard_slo, tailguard_service) group_left\nslo:error_budget:ratio${match}\n`, labels: ids },
    { record: "slo:period_burn_rate:ratio", expr: `slo:sli_error:ratio_rate${period}${match}\n/ on (tailguard_id, tailguard_slo, tailguard_service) group_left\nslo:error_budget:ratio${match}\n`, labels: ids },
    { record: "slo:period_error_budget_remaining:ratio", expr: `1 - slo:period_burn_rate:ratio${match}`, labels: ids },
  ];

  const alerts: AlertingRule[] = (["page", "ticket"] as const).flatMap((severity) => {
    const ofSeverity = rules.filter((r) => r.severity === severity);
    if (ofSeverity.length === 0) return [];
    const clauses = ofSeverity.map((rule) => {
      const factor = `(${number(burnRateThreshold(rule, definition.window))} * ${budget})`;
      const short = `max(slo:sli_error:ratio_rate${minutesToDuration(rule.shortWindowMinutes)}${match} > ${factor}) without (tailguard_window)`;
      const long = `max(slo:sli_error:ratio_rate${minutesToDuration(rule.longWindowMinutes)}${match} > ${factor}) without (tailguard_window)`;
      return `(\n  ${short}\n  and\n  ${long}\n)`;
    });
    const alert: AlertingRule = {
      alert: `TailguardSLOBurnRate${severity === "page" ? "Page" : "Ticket"}`,
      expr: `${clauses.join("\nor\n")}\n`,
      labels: { ...ids, severity },
      annotations: {
        summary: `${definition.displayName ?? definition.name}: error budget burning (${severity})`,
        description: `SLO ${definition.name} of ${definition.service} (objective ${formatObjectiveRatio(objective)}) is burning its error budget faster than the ${severity} thresholds allow.`,
      },
    };
    if (definition.alertPolicy.forMinutes > 0) alert.for = `${definition.alertPolicy.forMinutes}m`;
    return [alert];
  });

  const base = `tailguard-slo-${id}`;
  return {
    ok: true,
    rules: {
      groups: [
        { name: `${base}-sli-recordings`, rules: [...eventRules, ...sliRules] },
        { name: `${base}-meta-recordings`, rules: metaRules },
        { name: `${base}-alerts`, rules: alerts },
      ],
    },
  };
}

/** The same rules as a YAML file for `alerts/`; `promtool check rules` reads it. */
export function alertRulesToYaml(rules: PrometheusRuleFile): string {
  return stringify(rules, { lineWidth: 0 });
}
