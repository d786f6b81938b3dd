import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRulesToYaml, generateAlertRules, prometheusName, type AlertingRule, type RecordingRule } from "./alert-rules";
import { parseSloDefinition, type SloDefinitionInput } from "./definition";

function definition(patch: Partial<SloDefinitionInput> = {}) {
  const result = parseSloDefinition({
    name: "api-availability",
    service: "api",
    sli: {
      kind: "metricRatio",
      good: { metric: "http_requests_total", matchers: [{ key: "job", value: "api" }, { key: "code", op: "!~", value: "5.." }] },
      total: { metric: "http_requests_total", matchers: [{ key: "job", value: "api" }] },
    },
    objectivePercent: "99.9",
    window: { type: "rolling", durationDays: 30 },
    ...patch,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.definition;
}

function rules(patch: Partial<SloDefinitionInput> = {}) {
  const result = generateAlertRules(definition(patch));
  if (!result.ok) throw new Error(result.reason);
  return result.rules.groups.flatMap((g) => g.rules);
}
const recording = (all: (RecordingRule | AlertingRule)[], name: string) => all.find((r) => "record" in r && r.record === name) as RecordingRule;
const alerting = (all: (RecordingRule | AlertingRule)[], name: string) => all.find((r) => "alert" in r && r.alert === name) as AlertingRule;

describe("generateAlertRules", () => {
  it("records the SLI error ratio per alert window and for the period", () => {
    const all = rules();
    const names = all.filter((r): r is RecordingRule => "record" in r).map((r) => r.record);
    for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]) expect(names).toContain(`slo:sli_error:ratio_rate${w}`);
    const fiveMinutes = recording(all, "slo:sli_error:ratio_rate5m");
    expect(fiveMinutes.expr).toBe(
      '(sum(rate(http_requests_total{job="api"}[5m])) - (sum(rate(http_requests_total{job="api",code!~"5.."}[5m])) or vector(0)))\n/\nsum(rate(http_requests_total{job="api"}[5m]))\n',
    );
    expect(fiveMinutes.labels).toEqual({ tailguard_id: "api-api-availability", tailguard_service: "api", tailguard_slo: "api-availability", tailguard_window: "5m" });
    expect(recording(all, "slo:error_budget:ratio").expr).toBe("vector(0.001)");
    expect(recording(all, "slo:objective:ratio").expr).toBe("vector(0.999)");
  });

  it.each([
    [{ window: { type: "rolling", durationDays: 30 } } as const, ["(14.4 * 0.001)", "(6 * 0.001)"], ["(3 * 0.001)", "(1 * 0.001)"]],
    [{ window: { type: "rolling", durationDays: 28 } } as const, ["(13.44 * 0.001)", "(5.6 * 0.001)"], ["(2.8 * 0.001)", "(0.933333333333 * 0.001)"]],
    [{ objectivePercent: "99.99" }, ["(14.4 * 0.0001)"], ["(1 * 0.0001)"]],
  ])("burn factors match the SLO's rules: %j", (patch, pageFactors, ticketFactors) => {
    const all = rules(patch);
    const page = alerting(all, "TailguardSLOBurnRatePage");
    const ticket = alerting(all, "TailguardSLOBurnRateTicket");
    for (const f of pageFactors) expect(page.expr).toContain(f);
    for (const f of ticketFactors) expect(ticket.expr).toContain(f);
    expect(page.labels.severity).toBe("page");
    expect(page.expr).toContain("slo:sli_error:ratio_rate1h");
    expect(page.expr).toContain("slo:sli_error:ratio_rate5m");
  });

  it("only metricRatio SLIs can become Prometheus rules", () => {
    const result = generateAlertRules(definition({ sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 } }));
    expect(result.ok).toBe(false);
  });

  it("YAML reads back as the same object", () => {
    const result = generateAlertRules(definition());
    if (!result.ok) throw new Error(result.reason);
    expect(parse(alertRulesToYaml(result.rules))).toEqual(JSON.parse(JSON.stringify(result.rules)));
  });

  it.each([
    ["http.server.request.duration", "http_server_request_duration"],
    ["http_requests_total", "http_requests_total"],
    ["9lives", "_9lives"],
  ])("prometheusName(%s) = %s", (input, output) => {
    expect(prometheusName(input)).toBe(output);
  });
});
