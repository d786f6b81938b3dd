/** Prometheus recording and alerting rules for any SLO, in the naming Sloth users know (slo:sli_error:ratio_rate5m, …). */
import { stringify } from "yaml";
import { burnRateThreshold } from "./burn-rate";
import { definitionObjective, nominalWindowMinutes, type SloDefinition } from "./definition";
import { formatErrorBudgetRatio, formatObjectiveRatio } from "./objective";
import { minutesToDuration } from "./openslo-docs";
import { sliQueries } from "./prometheus-sli";

export { prometheusName } from "./prometheus-sli";

export type RecordingRule = { record: string; expr: string; labels: Record<string, string> };
export type AlertingRule = { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> };
export type RuleGroup = { name: string; rules: (RecordingRule | AlertingRule)[] };
export type PrometheusRuleFile = { groups: RuleGroup[] };

/** Windows every SLO records, so dashboards find them whatever the alert policy says: the SRE workbook's alert windows. */
export const STANDARD_WINDOW_MINUTES = [5, 30, 60, 120, 360, 1440, 4320] as const;

/** A threshold without float noise: 13.440000000000001 → 13.44. */
function number(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The SLO's own label matchers, for joining its recordings. */
function matchOf(definition: SloDefinition): string {
  return `{slo=${JSON.stringify(definition.name)}, service=${JSON.stringify(definition.service)}}`;
}

function recordings(definition: SloDefinition): RecordingRule[] {
  const q = sliQueries(definition);
  const ids = { slo: definition.name, service: definition.service };
  const periodMinutes = nominalWindowMinutes(definition.window);
  const ruleWindows = definition.alertPolicy.burnRateRules.flatMap((r) => [r.shortWindowMinutes, r.longWindowMinutes]);
  const windows = [...new Set([...STANDARD_WINDOW_MINUTES, ...ruleWindows, periodMinutes])].sort((a, b) => a - b);
  // Every window, the SLO period included, is the true event ratio from counter increases over the range (as
  // Tailguard computes it), never an average of short-window ratios, which lets a quiet night outweigh a busy afternoon.
  const ratios = windows.map((minutes): RecordingRule => {
    const w = minutesToDuration(minutes);
    return { record: `slo:sli_error:ratio_rate${w}`, expr: q.errorRatio(w), labels: { ...ids, window: w } };
  });
  const events: RecordingRule[] = [
    { record: "slo:sli_total_events:rate5m", expr: q.totalRate("5m"), labels: ids },
    { record: "slo:sli_error_events:rate5m", expr: q.errorRate("5m"), labels: ids },
  ];
  return [...ratios, ...events];
}

function metaRecordings(definition: SloDefinition): RecordingRule[] {
  const objective = definitionObjective(definition);
  const ids = { slo: definition.name, service: definition.service };
  const match = matchOf(definition);
  const period = minutesToDuration(nominalWindowMinutes(definition.window));
  const perBudget = (numerator: string) => `${numerator}\n/ on (slo, service) group_left\nslo:error_budget:ratio${match}\n`;
  return [
    { record: "slo:objective:ratio", expr: `vector(${formatObjectiveRatio(objective)})`, labels: ids },
    { record: "slo:error_budget:ratio", expr: `vector(${formatErrorBudgetRatio(objective)})`, labels: ids },
    { record: "slo:time_period:days", expr: `vector(${nominalWindowMinutes(definition.window) / 1440})`, labels: ids },
    { record: "slo:current_burn_rate:ratio", expr: perBudget(`slo:sli_error:ratio_rate5m${match}`), labels: ids },
    { record: "slo:period_burn_rate:ratio", expr: perBudget(`slo:sli_error:ratio_rate${period}${match}`), labels: ids },
    { record: "slo:period_error_budget_remaining:ratio", expr: `1 - slo:period_burn_rate:ratio${match}`, labels: ids },
  ];
}

function alerts(definition: SloDefinition): AlertingRule[] {
  const objective = definitionObjective(definition);
  const budget = formatErrorBudgetRatio(objective);
  const match = matchOf(definition);
  const ids = { slo: definition.name, service: definition.service };
  const title = definition.displayName ?? definition.name;
  const policy = definition.alertPolicy;
  const burnAlerts = (["page", "ticket"] as const).flatMap((severity): AlertingRule[] => {
    const rules = policy.burnRateRules.filter((r) => r.severity === severity);
    if (rules.length === 0) return [];
    const clauses = rules.map((rule) => {
      // `>=` as Tailguard's engine compares; the factor is burnRateThreshold, so 7- and 28-day windows get their own.
      const factor = `(${number(burnRateThreshold(rule, definition.window))} * ${budget})`;
      const over = (minutes: number) => `max without (window) (slo:sli_error:ratio_rate${minutesToDuration(minutes)}${match} >= ${factor})`;
      return `(\n  ${over(rule.longWindowMinutes)}\n  and\n  ${over(rule.shortWindowMinutes)}\n)`;
    });
    const factors = rules.map((r) => `${number(burnRateThreshold(r, definition.window))}× over ${minutesToDuration(r.longWindowMinutes)} and ${minutesToDuration(r.shortWindowMinutes)}`);
    const alert: AlertingRule = {
      alert: `TailguardSLOBurnRate${severity === "page" ? "Page" : "Ticket"}`,
      expr: `${clauses.join("\nor\n")}\n`,
      labels: { ...ids, severity },
      annotations: {
        summary: `${title}: error budget burning (${severity})`,
        description: `SLO ${definition.name} of ${definition.service} (objective ${formatObjectiveRatio(objective)}) burns its error budget at or above ${factors.join(" or ")} (error ratio {{ $value | humanizePercentage }} over the long window).`,
      },
    };
    if (policy.forMinutes > 0) alert.for = `${policy.forMinutes}m`;
    return [alert];
  });
  if (!policy.budgetExhausted) return burnAlerts;
  const exhausted: AlertingRule = {
    alert: "TailguardSLOErrorBudgetExhausted",
    expr: `slo:period_error_budget_remaining:ratio${match} <= 0`,
    labels: { ...ids, severity: "ticket" },
    annotations: {
      summary: `${title}: error budget exhausted`,
      description: `SLO ${definition.name} of ${definition.service} has spent its whole error budget over the last ${minutesToDuration(nominalWindowMinutes(definition.window))} (remaining {{ $value | humanizePercentage }}).`,
    },
  };
  return [...burnAlerts, exhausted];
}

/** Recording and alerting rules for one SLO, in three groups named after it. */
export function generateAlertRules(definition: SloDefinition): PrometheusRuleFile {
  const base = `tailguard-slo-${definition.service}-${definition.name}`;
  return {
    groups: [
      { name: `${base}-sli-recordings`, rules: recordings(definition) },
      { name: `${base}-meta-recordings`, rules: metaRecordings(definition) },
      { name: `${base}-alerts`, rules: alerts(definition) },
    ],
  };
}

/** One rule file for many SLOs; SLO names are unique in Tailguard, so the group names are too. */
export function generateRuleFile(definitions: readonly SloDefinition[]): PrometheusRuleFile {
  const sorted = [...definitions].sort((a, b) => a.name.localeCompare(b.name));
  return { groups: sorted.flatMap((d) => generateAlertRules(d).groups) };
}

/** The rules as YAML for `alerts/`; `promtool check rules` reads it. */
export function alertRulesToYaml(rules: PrometheusRuleFile, header?: string): string {
  const comment = header ? `${header.split("\n").map((line) => `# ${line}`.trimEnd()).join("\n")}\n` : "";
  return comment + stringify(rules, { lineWidth: 0 });
}
