import { describe, expect, it } from "vitest";
import { DEFAULT_BURN_RATE_RULES, nominalWindowMinutes, parseSloDefinition } from "./definition";

const base = {
  name: "checkout-availability",
  service: "checkout",
  sli: { kind: "availability", selector: { service: "checkout" } },
  objectivePercent: 99.9,
  window: { type: "rolling", durationDays: 28 },
};

const rule = (longWindowMinutes: number, shortWindowMinutes: number) => ({ severity: "page", longWindowMinutes, shortWindowMinutes, burnRate: 14.4 });
const rules = (...burnRateRules: object[]) => ({ alertPolicy: { burnRateRules } });
// `base` is a 28-day window: 40,320 minutes.
const windowRows: [string, object, string][] = [
  ["long window 1e9", rules(rule(1e9, 5)), "alertPolicy.burnRateRules.0.longWindowMinutes"],
  ["long window 2^31", rules(rule(2 ** 31, 5)), "alertPolicy.burnRateRules.0.longWindowMinutes"],
  ["long window past the SLO window", rules(rule(40_321, 5)), "alertPolicy.burnRateRules.0.longWindowMinutes"],
  ["long window past a 7-day window", { window: { type: "rolling", durationDays: 7 }, ...rules(rule(60, 5), rule(14 * 1440, 60)) }, "alertPolicy.burnRateRules.1.longWindowMinutes"],
  ["short window equal to long", rules(rule(60, 60)), "alertPolicy.burnRateRules.0.shortWindowMinutes"],
  ["short window 1e9", rules(rule(60, 1e9)), "alertPolicy.burnRateRules.0.shortWindowMinutes"],
  ["long window fractional", rules(rule(60.5, 5)), "alertPolicy.burnRateRules.0.longWindowMinutes"],
  ["short window 0", rules(rule(60, 0)), "alertPolicy.burnRateRules.0.shortWindowMinutes"],
  ["long window negative", rules(rule(-60, 5)), "alertPolicy.burnRateRules.0.longWindowMinutes"],
];

describe("parseSloDefinition", () => {
  it("fills defaults and keeps the objective exact", () => {
    const result = parseSloDefinition(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.objectivePercent).toBe("99.9");
    expect(result.definition.budgeting).toEqual({ method: "occurrences" });
    expect(result.definition.labels).toEqual({});
    expect(result.definition.sli).toEqual({ kind: "availability", selector: { service: "checkout", attributes: [] }, treat5xxAsError: true });
    expect(result.definition.alertPolicy).toEqual({ burnRateRules: DEFAULT_BURN_RATE_RULES, forMinutes: 0, noDataMinutes: 60, budgetExhausted: true });
  });

  it.each([
    ["latency", { kind: "latency", selector: { service: "api", route: "/jobs" }, thresholdMs: 300 }],
    ["jobCompletion by queue", { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 }],
    ["jobCompletion by selector", { kind: "jobCompletion", selector: { service: "api", spanKind: "producer" }, thresholdMs: 300_000 }],
    ["queueWait", { kind: "queueWait", destination: "jobs", thresholdMs: 5_000 }],
    ["metricRatio", { kind: "metricRatio", good: { metric: "http_requests_total", matchers: [{ key: "code", op: "!~", value: "5.." }] }, total: { metric: "http_requests_total" } }],
  ])("accepts a %s SLI", (_label, sli) => {
    expect(parseSloDefinition({ ...base, sli }).ok).toBe(true);
  });

  it.each([
    ["name", { name: "Checkout_Availability" }, "name"],
    ["service", { service: "" }, "service"],
    ["objective 100", { objectivePercent: 100 }, "objectivePercent"],
    ["objective decimals", { objectivePercent: "99.1234567" }, "objectivePercent"],
    ["window days", { window: { type: "rolling", durationDays: 14 } }, "window.durationDays"],
    ["window type", { window: { type: "weekly" } }, "window.type"],
    ["calendar tz", { window: { type: "calendarMonth", timeZone: "Europe/Paris" } }, "window.timeZone"],
    ["sli kind", { sli: { kind: "throughput" } }, "sli.kind"],
    ["threshold", { sli: { kind: "latency", selector: { service: "api" }, thresholdMs: 0 } }, "sli.thresholdMs"],
    ["selector service", { sli: { kind: "latency", selector: {}, thresholdMs: 10 } }, "sli.selector.service"],
    ["matcher regex", { sli: { kind: "availability", selector: { service: "a", attributes: [{ key: "k", op: "=~", value: "(" }] } } }, "sli.selector.attributes.0.value"],
    ["matcher backreference (RE2)", { sli: { kind: "availability", selector: { service: "a", attributes: [{ key: "k", op: "=~", value: "(a)\\1" }] } } }, "sli.selector.attributes.0.value"],
    ["matcher lookahead (RE2)", { sli: { kind: "availability", selector: { service: "a", attributes: [{ key: "k", op: "!~", value: "(?!x).*" }] } } }, "sli.selector.attributes.0.value"],
    ["matcher length", { sli: { kind: "availability", selector: { service: "a", attributes: [{ key: "k", op: "=~", value: "a".repeat(1025) }] } } }, "sli.selector.attributes.0.value"],
    ["metric matcher lookahead (RE2)", { sli: { kind: "metricRatio", good: { metric: "m", matchers: [{ key: "code", op: "=~", value: "(?=2)..." }] }, total: { metric: "m" } } }, "sli.good.matchers.0.value"],
    ["window of 90 days", { window: { type: "rolling", durationDays: 90 } }, "window.durationDays"],
    ["window of 1e9 days", { window: { type: "rolling", durationDays: 1e9 } }, "window.durationDays"],
    ["slice threshold", { budgeting: { method: "timeslices", sliceMinutes: 1, sliceThresholdRatio: 1.5 } }, "budgeting.sliceThresholdRatio"],
    ["rule windows", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 5, shortWindowMinutes: 60, burnRate: 14.4 }] } }, "alertPolicy.burnRateRules.0.shortWindowMinutes"],
    ["rule factor", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5 }] } }, "alertPolicy.burnRateRules.0"],
    ["severity", { alertPolicy: { burnRateRules: [{ severity: "sev1", longWindowMinutes: 60, shortWindowMinutes: 5, burnRate: 1 }] } }, "alertPolicy.burnRateRules.0.severity"],
    ...windowRows,
  ])("names the field: %s", (_label, patch, field) => {
    const result = parseSloDefinition({ ...base, ...patch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field)).toContain(field);
    expect(result.reason).toContain(`${field}: `);
  });
});

describe("window bounds", () => {
  it.each([
    ["alert window equal to a 28-day window", { ...rules(rule(40_320, 60)) }],
    ["alert window equal to a 7-day window", { window: { type: "rolling", durationDays: 7 }, ...rules(rule(10_080, 60)) }],
    ["30-day alert window on a 30-day window", { window: { type: "rolling", durationDays: 30 }, ...rules(rule(43_200, 1)) }],
    ["30-day alert window on a calendar month (nominally 30 days)", { window: { type: "calendarMonth" }, ...rules(rule(43_200, 1)) }],
    ["the default rules on a 7-day window", { window: { type: "rolling", durationDays: 7 } }],
  ])("accepts %s", (_label, patch) => {
    const result = parseSloDefinition({ ...base, ...patch });
    expect(result.ok ? "ok" : result.reason).toBe("ok");
  });
});

describe("nominalWindowMinutes", () => {
  it.each([
    [{ type: "rolling", durationDays: 7 } as const, 10_080],
    [{ type: "rolling", durationDays: 28 } as const, 40_320],
    [{ type: "rolling", durationDays: 30 } as const, 43_200],
    [{ type: "calendarMonth", timeZone: "UTC" } as const, 43_200],
  ])("%j → %i", (window, minutes) => {
    expect(nominalWindowMinutes(window)).toBe(minutes);
  });
});
