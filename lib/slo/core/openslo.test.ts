import { describe, expect, it } from "vitest";
import { parseSloDefinition, type SloDefinition, type SloDefinitionInput } from "./definition";
import { diffDefinitions } from "./diff";
import { exportOpenSlo, importOpenSlo } from "./openslo";

function definition(input: Partial<SloDefinitionInput> & Pick<SloDefinitionInput, "name">): SloDefinition {
  const result = parseSloDefinition({
    service: "checkout",
    sli: { kind: "availability", selector: { service: "checkout" } },
    objectivePercent: "99.9",
    window: { type: "rolling", durationDays: 28 },
    ...input,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.definition;
}

const DEFINITIONS: SloDefinition[] = [
  definition({ name: "checkout-availability", displayName: "Checkout availability", owner: "payments", labels: { team: "payments", tier: "1" }, description: "Checkout answers" }),
  definition({
    name: "checkout-latency",
    sli: { kind: "latency", selector: { service: "checkout", route: "/checkout", spanKind: "server", attributes: [{ key: "http.request.method", op: "=~", value: "POST|PUT" }] }, thresholdMs: 300 },
    objectivePercent: 99.95,
    window: { type: "calendarMonth" },
    budgeting: { method: "timeslices", sliceMinutes: 5, sliceThresholdRatio: 0.95 },
  }),
  definition({ name: "jobs-complete", service: "worker", sli: { kind: "jobCompletion", service: "api", queue: "jobs", thresholdMs: 300_000 }, objectivePercent: "99" }),
  definition({ name: "jobs-wait", service: "worker", sli: { kind: "queueWait", destination: "jobs", thresholdMs: 5000 }, window: { type: "rolling", durationDays: 7 } }),
  definition({
    name: "http-ratio",
    sli: { kind: "metricRatio", good: { metric: "http_requests_total", matchers: [{ key: "code", op: "!~", value: "5.." }] }, total: { metric: "http_requests_total" } },
    objectivePercent: "99.999999",
    window: { type: "rolling", durationDays: 30 },
    alertPolicy: {
      burnRateRules: [{ severity: "page", longWindowMinutes: 90, shortWindowMinutes: 7, burnRate: 12.5 }],
      forMinutes: 5,
      noDataMinutes: null,
      budgetExhausted: false,
    },
  }),
];

describe("OpenSLO round trip", () => {
  it.each([["inline"], ["referenced"]] as const)("export → import is the identity (%s)", (style) => {
    const yaml = exportOpenSlo(DEFINITIONS, { style });
    const imported = importOpenSlo(yaml);
    if (!imported.ok) throw new Error(imported.reason);
    expect(imported.definitions).toEqual(DEFINITIONS);
    expect(imported.services.map((s) => s.name)).toEqual(["checkout", "worker"]);
  });

  it("writes OpenSLO shapes a reader expects", () => {
    const yaml = exportOpenSlo([DEFINITIONS[1]!], { services: false });
    expect(yaml).toContain("apiVersion: openslo/v1");
    expect(yaml).toContain("budgetingMethod: Timeslices");
    expect(yaml).toContain("target: 0.9995");
    expect(yaml).toContain("timeSliceWindow: 5m");
    expect(yaml).toContain("duration: 1M");
    expect(yaml).toContain("thresholdMetric:");
    expect(yaml).toContain("type: tailguard");
  });
});

const HAND_WRITTEN = `
apiVersion: openslo/v1
kind: Service
metadata:
  name: web
  displayName: Web
spec:
  description: the web tier
---
- apiVersion: openslo/v1
  kind: AlertPolicy
  metadata:
    name: fast-burn
  spec:
    alertWhenNoData: false
    conditions:
      - conditionRef: one-hour
- apiVersion: openslo/v1
  kind: AlertCondition
  metadata:
    name: one-hour
  spec:
    severity: page
    condition:
      kind: burnrate
      op: gte
      threshold: 14.4
      lookbackWindow: 1h
      alertAfter: 2m
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: web-availability
  labels:
    team: [web, platform]
spec:
  service: web
  indicator:
    metadata:
      name: web-ratio
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: tailguard
            spec:
              metric: http_requests_total
              matchers: [{ key: code, op: "!~", value: "5.." }]
        total:
          metricSource:
            type: tailguard
            spec:
              metric: http_requests_total
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: three nines
      target: 0.999
  alertPolicies:
    - fast-burn
`;

describe("importOpenSlo", () => {
  it("reads a hand-written file with a list document and references", () => {
    const result = importOpenSlo(HAND_WRITTEN);
    if (!result.ok) throw new Error(result.reason);
    expect(result.services).toEqual([{ name: "web", displayName: "Web", description: "the web tier" }]);
    const [slo] = result.definitions;
    expect(slo).toMatchObject({
      name: "web-availability",
      labels: { team: "web,platform" },
      objectivePercent: "99.9",
      window: { type: "rolling", durationDays: 28 },
      sli: { kind: "metricRatio", good: { metric: "http_requests_total", matchers: [{ key: "code", op: "!~", value: "5.." }] }, total: { metric: "http_requests_total", matchers: [] } },
      // No short-window annotation: long / 12 = 5 m. alertWhenNoData false turns the no-data alert off.
      alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, burnRate: 14.4 }], forMinutes: 2, noDataMinutes: null, budgetExhausted: true },
    });
  });

  const slo = (spec: string, metadata = "name: s1") => `apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  ${metadata}\nspec:\n${spec}`;
  const goodSpec = `  service: web
  indicatorRef: missing
  timeWindow: [{ duration: 28d, isRolling: true }]
  objectives: [{ target: 0.999 }]
`;

  it.each([
    ["bad apiVersion", `apiVersion: openslo/v2\nkind: SLO\n`, 0, "apiVersion", "openslo/v1"],
    ["second document", `apiVersion: openslo/v1\nkind: Service\nmetadata: { name: a }\n---\n${slo(goodSpec)}`, 1, "spec.indicatorRef", "no SLI document named missing"],
    ["yaml syntax", `apiVersion: openslo/v1\nkind: [unclosed\n`, 0, "(yaml)", ""],
    ["metadata name", slo(goodSpec, "displayName: x"), 0, "metadata.name", "name is required"],
    ["target", slo(goodSpec.replace("0.999", "1.5").replace("indicatorRef: missing", "indicator: { metadata: { name: i }, spec: { ratioMetric: { good: { metricSource: { type: tailguard, spec: { metric: a } } }, total: { metricSource: { type: tailguard, spec: { metric: b } } } } } }")), 0, "spec.objectives.0.target", "less than 100"],
    ["prometheus source", slo(goodSpec.replace("indicatorRef: missing", "indicator: { metadata: { name: i }, spec: { thresholdMetric: { metricSource: { type: Prometheus, spec: { query: up } } } } }")), 0, "spec.indicator.spec.thresholdMetric.metricSource.type", "use type tailguard"],
    ["window", slo(goodSpec.replace("28d", "14d").replace("indicatorRef: missing", "indicator: { metadata: { name: i }, spec: { ratioMetric: { good: { metricSource: { type: tailguard, spec: { metric: a } } }, total: { metricSource: { type: tailguard, spec: { metric: b } } } } } }")), 0, "spec.timeWindow.0", "durationDays must be 7, 28 or 30"],
    ["budgeting method", slo(`${goodSpec}  budgetingMethod: RatioTimeslices\n`), 0, "spec.budgetingMethod", "Occurrences or Timeslices"],
  ])("names document and field: %s", (_label, yaml, documentIndex, field, message) => {
    const result = importOpenSlo(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues[0]!;
    expect(issue.documentIndex).toBe(documentIndex);
    expect(issue.field).toBe(field);
    expect(issue.message).toContain(message);
    expect(result.reason).toContain(`document ${documentIndex}`);
  });
});

describe("importOpenSlo keeps the definition's bounds", () => {
  const condition = "spec.alertPolicies.0.spec.conditions.0";
  it.each([
    ["lookbackWindow of a million days", ["lookbackWindow: 1h", "lookbackWindow: 1000000d"], `${condition}.spec.condition.lookbackWindow`, "longWindowMinutes must be at most 43200"],
    ["lookbackWindow past the 4-week window", ["lookbackWindow: 1h", "lookbackWindow: 29d"], `${condition}.spec.condition.lookbackWindow`, "at most the SLO window (40320 minutes)"],
    ["timeWindow of 90 days", ["duration: 4w", "duration: 90d"], "spec.timeWindow.0", "durationDays must be 7, 28 or 30"],
    ["a lookahead matcher", ['value: "5.."', 'value: "(?!5).."'], "spec.indicator.spec", "not a valid RE2 regular expression"],
    ["a backreference matcher", ['value: "5.."', 'value: "(5)\\\\1."'], "spec.indicator.spec", "invalid escape sequence"],
  ])("refuses %s, naming the field", (_label, [from, to], field, message) => {
    const yaml = HAND_WRITTEN.replace(from!, to!);
    expect(yaml).not.toBe(HAND_WRITTEN);
    const result = importOpenSlo(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual(expect.objectContaining({ documentIndex: 2, field, message: expect.stringContaining(message) }));
  });
});

describe("diffDefinitions", () => {
  const [a, b, c] = DEFINITIONS as [SloDefinition, SloDefinition, SloDefinition];
  it.each([
    ["nothing to do", [a, b], [a, b], { creates: [], updates: [], unchanged: ["checkout-availability", "checkout-latency"], deletes: [] }],
    ["create and delete", [a], [c], { creates: ["jobs-complete"], updates: [], unchanged: [], deletes: ["checkout-availability"] }],
    [
      "update names the changed leaves",
      [a],
      [{ ...a, objectivePercent: "99.95", labels: { team: "payments" }, sli: { ...a.sli, selector: { service: "checkout", attributes: [], route: "/pay" } } } as SloDefinition],
      { creates: [], updates: [["checkout-availability", ["labels.tier", "objectivePercent", "sli.selector.route"]]], unchanged: [], deletes: [] },
    ],
    ["a changed SLI kind is one change", [a], [{ ...a, sli: b.sli }], { creates: [], updates: [["checkout-availability", ["sli"]]], unchanged: [], deletes: [] }],
  ] as const)("%s", (_label, current, desired, expected) => {
    const diff = diffDefinitions(current as unknown as SloDefinition[], desired as unknown as SloDefinition[]);
    expect({
      creates: diff.creates.map((d) => d.name),
      updates: diff.updates.map((u) => [u.name, u.changedFields]),
      unchanged: diff.unchanged,
      deletes: diff.deletes.map((d) => d.name),
    }).toEqual(expected);
  });

  it("re-applying an exported file changes nothing", () => {
    const imported = importOpenSlo(exportOpenSlo(DEFINITIONS));
    if (!imported.ok) throw new Error(imported.reason);
    expect(diffDefinitions(DEFINITIONS, imported.definitions).unchanged).toHaveLength(DEFINITIONS.length);
  });
});
