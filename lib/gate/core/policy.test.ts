import { describe, expect, it } from "vitest";
import { GatePolicySchema, signalInScope, sloInScope } from "./policy";

describe("GatePolicySchema", () => {
  it("fills the defaults", () => {
    expect(GatePolicySchema.parse({})).toEqual({
      minBudgetRemainingRatio: 0,
      warnBudgetRemainingRatio: 0.25,
      maxBurnRates: {},
      failOnPageAlerts: true,
      warnOnTicketAlerts: true,
      failOnCriticalSignals: true,
      warnOnWarningSignals: true,
      noData: "inconclusive",
      maxDataAgeMinutes: 10,
      scope: { services: [], labels: {} },
      keySlos: [],
    });
  });

  it.each([
    { input: { minBudgetRemainingRatio: 0.5, warnBudgetRemainingRatio: 0.25 }, note: "warn level below the fail level" },
    { input: { warnBudgetRemainingRatio: 1.5 }, note: "ratio above 1" },
    { input: { maxBurnRates: { "1h": 0 } }, note: "zero burn-rate ceiling" },
    { input: { noData: "pass" }, note: "no data may not pass" },
  ])("rejects $note", ({ input }) => expect(GatePolicySchema.safeParse(input).success).toBe(false));
});

describe("scope", () => {
  const scope = { services: ["api"], labels: { tier: "1" } };
  type Row = { slo: { service: string; labels?: Record<string, string> }; want: boolean };
  it.each<Row>([
    { slo: { service: "api", labels: { tier: "1", team: "x" } }, want: true },
    { slo: { service: "api", labels: { tier: "2" } }, want: false },
    { slo: { service: "api" }, want: false },
    { slo: { service: "worker", labels: { tier: "1" } }, want: false },
  ])("SLO $slo.service $slo.labels → $want", ({ slo, want }) => expect(sloInScope(scope, slo)).toBe(want));

  it("an empty scope takes every SLO", () => expect(sloInScope({ services: [], labels: {} }, { service: "any" })).toBe(true));

  it.each<{ signal: { services?: string[]; labels?: Record<string, string> }; want: boolean }>([
    { signal: { services: ["api", "worker"] }, want: true },
    { signal: { services: ["worker"] }, want: false },
    { signal: {}, want: true }, // unattributed: fail closed
    { signal: { services: ["api"], labels: { tier: "2" } }, want: false },
  ])("signal $signal → $want", ({ signal, want }) => expect(signalInScope(scope, signal)).toBe(want));
});
