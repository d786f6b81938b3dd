import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRulesToYaml, generateAlertRules, generateRuleFile, prometheusName, type AlertingRule, type RecordingRule } from "./alert-rules";
import { parseSloDefinition, type SloDefinitionInput } from "./definition";

const metricRatio = {
  kind: "metricRatio",
  good: { metric: "http_requests_total", matchers: [{ key: "job", value: "api" }, { key: "code", op: "!~", value: "5.." }] },
  total: { metric: "http_requests_total", matchers: [{ key: "job", value: "api" }] },
} as const;

function definition(patch: Partial<SloDefinitionInput> = {}) {
  const result = parseSloDefinition({ name: "api-availability", service: "api", sli: metricRatio, objectivePercent: "99.9", window: { type: "rolling", durationDays: 30 }, ...patch });
  if (!result.ok) throw new Error(result.reason);
  return result.definition;
}

const rules = (patch: Partial<SloDefinitionInput> = {}) => generateAlertRules(definition(patch)).groups.flatMap((g) => g.rules);
const recording = (all: (RecordingRule | AlertingRule)[], name: string) => all.find((r) => "record" in r && r.record === name) as RecordingRule;
const alerting = (all: (RecordingRule | AlertingRule)[], name: string) => all.find((r) => "alert" in r && r.alert === name) as AlertingRule;

describe("generateAlertRules", () => {
  it("records the SLI error ratio per alert window and for the period, from the SLO's own metrics", () => {
    const all = rules();
    const names = all.filter((r): r is RecordingRule => "record" in r).map((r) => r.record);
    for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]) expect(names).toContain(`slo:sli_error:ratio_rate${w}`);
    const fiveMinutes = recording(all, "slo:sli_error:ratio_rate5m");
    expect(fiveMinutes.expr).toBe(
      '(sum(increase(http_requests_total{job="api"}[5m])) - (sum(increase(http_requests_total{job="api",code!~"5.."}[5m])) or vector(0)))\n/\nsum(increase(http_requests_total{job="api"}[5m]))\n',
    );
    expect(fiveMinutes.labels).toEqual({ slo: "api-availability", service: "api", window: "5m" });
    expect(recording(all, "slo:sli_error:ratio_rate30d").expr).toContain("increase(http_requests_total{job=\"api\"}[30d])");
    expect(recording(all, "slo:error_budget:ratio").expr).toBe("vector(0.001)");
    expect(recording(all, "slo:objective:ratio").expr).toBe("vector(0.999)");
  });

  it.each([
    ["availability", { kind: "availability", selector: { service: "api" } }],
    ["latency", { kind: "latency", selector: { service: "api" }, thresholdMs: 300 }],
    ["jobCompletion", { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 }],
    ["queueWait", { kind: "queueWait", destination: "jobs", thresholdMs: 1000 }],
  ] as const)("a %s SLI reads tailguard_slo_events_total summed across replicas", (_kind, sli) => {
    const ratio = recording(rules({ sli }), "slo:sli_error:ratio_rate1h");
    expect(ratio.expr).toBe(
      'sum without (instance, pod, outcome) (increase(tailguard_slo_events_total{slo="api-availability", service="api", outcome="bad"}[1h]) or 0 * increase(tailguard_slo_events_total{slo="api-availability", service="api", outcome="good"}[1h]))\n' +
        "/\n" +
        'sum without (instance, pod, outcome) (increase(tailguard_slo_events_total{slo="api-availability", service="api"}[1h]))\n',
    );
  });

  it.each([
    [{ window: { type: "rolling", durationDays: 30 } } as const, ["(14.4 * 0.001)", "(6 * 0.001)"], ["(3 * 0.001)", "(1 * 0.001)"]],
    [{ window: { type: "rolling", durationDays: 28 } } as const, ["(13.44 * 0.001)", "(5.6 * 0.001)"], ["(2.8 * 0.001)", "(0.933333333333 * 0.001)"]],
    [{ objectivePercent: "99.99" }, ["(14.4 * 0.0001)"], ["(1 * 0.0001)"]],
    [{ alertPolicy: { burnRateRules: [{ severity: "page" as const, longWindowMinutes: 120, shortWindowMinutes: 10, burnRate: 10 }, { severity: "ticket" as const, longWindowMinutes: 720, shortWindowMinutes: 60, burnRate: 2 }] } }, ["(10 * 0.001)", "ratio_rate2h", "ratio_rate10m"], ["(2 * 0.001)", "ratio_rate12h"]],
  ])("burn factors match the SLO's rules: %j", (patch, pageParts, ticketParts) => {
    const all = rules(patch);
    const page = alerting(all, "TailguardSLOBurnRatePage");
    const ticket = alerting(all, "TailguardSLOBurnRateTicket");
    for (const f of pageParts) expect(page.expr).toContain(f);
    for (const f of ticketParts) expect(ticket.expr).toContain(f);
    expect(page.labels).toEqual({ slo: "api-availability", service: "api", severity: "page" });
    expect(Object.keys(page.annotations)).toEqual(["summary", "description"]);
    for (const part of [...pageParts, ...ticketParts].filter((p) => p.startsWith("ratio_rate"))) expect(recording(all, `slo:sli_error:${part}`)).toBeDefined();
  });

  it("budget exhausted and `for` follow the alert policy", () => {
    expect(alerting(rules(), "TailguardSLOErrorBudgetExhausted").labels.severity).toBe("ticket");
    const off = rules({ alertPolicy: { budgetExhausted: false, forMinutes: 2 } });
    expect(alerting(off, "TailguardSLOErrorBudgetExhausted")).toBeUndefined();
    expect(alerting(off, "TailguardSLOBurnRatePage").for).toBe("2m");
  });

  it("one file holds every SLO, sorted, and its YAML reads back as the same object", () => {
    const file = generateRuleFile([definition({ name: "b-slo" }), definition({ name: "a-slo" })]);
    expect(file.groups.map((g) => g.name)[0]).toBe("tailguard-slo-api-a-slo-sli-recordings");
    const yaml = alertRulesToYaml(file, "generated\nby a test");
    expect(yaml.startsWith("# generated\n# by a test\n")).toBe(true);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(file)));
  });

  it.each([
    ["http.server.request.duration", "http_server_request_duration"],
    ["http_requests_total", "http_requests_total"],
    ["9lives", "_9lives"],
  ])("prometheusName(%s) = %s", (input, output) => {
    expect(prometheusName(input)).toBe(output);
  });
});
