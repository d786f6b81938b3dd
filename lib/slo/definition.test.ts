import { describe, expect, it } from "vitest";
import { DEFAULT_BURN_RATE_RULES, nominalWindowMinutes, parseSloDefinition } from "./definition";

const base = {
  name: "checkout-availability",
  service: "checkout",
  sli: { kind: "availability", selector: { service: "checkout" } },
  objectivePercent: 99.9,
  window: { type: "rolling", durationDays: 28 },
};

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
    ["slice threshold", { budgeting: { method: "timeslices", sliceMinutes: 1, sliceThresholdRatio: 1.5 } }, "budgeting.sliceThresholdRatio"],
    ["rule windows", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 5, shortWindowMinutes: 60, burnRate: 14.4 }] } }, "alertPolicy.burnRateRules.0.shortWindowMinutes"],
    ["rule factor", { alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5 }] } }, "alertPolicy.burnRateRules.0"],
    ["severity", { alertPolicy: { burnRateRules: [{ severity: "sev1", longWindowMinutes: 60, shortWindowMinutes: 5, burnRate: 1 }] } }, "alertPolicy.burnRateRules.0.severity"],
  ])("names the field: %s", (_label, patch, field) => {
    const result = parseSloDefinition({ ...base, ...patch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field)).toContain(field);
    expect(result.reason).toContain(`${field}: `);
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
