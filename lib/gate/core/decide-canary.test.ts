// How canary reasons weigh in decideGate: like every other reason, with the key-SLO rule.
import { describe, expect, it } from "vitest";
import { decideGate, type GateSloInput } from "./decide";
import { canaryScopeReason } from "./reasons";
import { GatePolicySchema } from "./policy";
import type { GateReason } from "./reasons";

const NOW = new Date("2026-11-20T12:00:00Z");
const slo = (name: string): GateSloInput => ({ name, service: "api", budgetRemainingRatio: 0.8, burnRates: {}, firingAlerts: [], evaluatedAt: NOW });
const canary = (code: string, level: GateReason["level"], name: string): GateReason => ({ code, level, message: `${code} on ${name}`, subject: { type: "slo", name } });
const decide = (reasons: GateReason[], keySlos: string[] = []) =>
  decideGate({ policy: GatePolicySchema.parse({ keySlos }), slos: [slo("api-availability"), slo("api-latency")], openSignals: [], now: NOW, canaryReasons: reasons });

describe("decideGate with canary reasons", () => {
  it.each([
    { note: "no canary: as before", reasons: [], keys: [], decision: "pass", codes: ["all_clear"] },
    { note: "not worse is info: pass", reasons: [canary("canary_not_worse", "info", "api-availability")], keys: [], decision: "pass", codes: ["canary_not_worse", "all_clear"] },
    { note: "worse fails with a healthy budget", reasons: [canary("canary_worse", "fail", "api-availability")], keys: [], decision: "fail", codes: ["canary_worse"] },
    { note: "too little data is inconclusive, never a pass", reasons: [canary("canary_insufficient_data", "inconclusive", "api-latency")], keys: [], decision: "inconclusive", codes: ["canary_insufficient_data"] },
    { note: "worse on a key SLO fails", reasons: [canary("canary_worse", "fail", "api-availability")], keys: ["api-availability"], decision: "fail", codes: ["canary_worse"] },
    { note: "worse on another SLO only warns once key SLOs are named", reasons: [canary("canary_worse", "fail", "api-latency")], keys: ["api-availability"], decision: "warn", codes: ["canary_worse_not_key"] },
    { note: "worse outranks too little data", reasons: [canary("canary_insufficient_data", "inconclusive", "api-latency"), canary("canary_worse", "fail", "api-availability")], keys: [], decision: "fail", codes: ["canary_worse", "canary_insufficient_data"] },
  ])("$note → $decision", ({ reasons, keys, decision, codes }) => {
    const d = decide(reasons as GateReason[], keys);
    expect(d.decision).toBe(decision);
    expect(d.reasons.map((r) => r.code)).toEqual(codes);
  });

  it("is inconclusive without a candidate or a baseline, and says why", () => {
    expect(decide([canaryScopeReason.noCandidate("api", "1.5.0")]).decision).toBe("inconclusive");
    const none = canaryScopeReason.noBaseline("api", "1.5.0", "2026-11-20T11:00:00.000Z");
    expect(none.message).toBe("No other version of api served traffic in the hour before 1.5.0 first appeared (2026-11-20T11:00:00.000Z), so there is no baseline to compare with; name one in baseline.version.");
    expect(decide([none]).decision).toBe("inconclusive");
  });

  it("keeps skipped and capped SLOs as information", () => {
    const d = decide([canaryScopeReason.skipped("api-metric", "metricRatio"), canaryScopeReason.capped("api-latency", ["candidate", "baseline"], 200_000)]);
    expect(d.decision).toBe("pass");
    expect(d.reasons[1]!.message).toBe('SLO "api-latency": only the first 200,000 spans of the candidate and the baseline in the interval were read, so its comparison covers the start of the interval only.');
  });
});
