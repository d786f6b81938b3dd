import { describe, expect, it } from "vitest";
import { decideGate, type GateSignalInput, type GateSloInput } from "./decide";
import { GatePolicySchema } from "./policy";

const NOW = new Date("2026-11-20T12:00:00Z");
const slo = (o: Partial<GateSloInput> = {}): GateSloInput => ({
  name: "api-availability",
  service: "api",
  budgetRemainingRatio: 0.8,
  burnRates: { "1h": 0.5, "6h": 0.7 },
  firingAlerts: [],
  evaluatedAt: new Date(NOW.getTime() - 60_000),
  ...o,
});
const signal = (severity: "warning" | "critical", o: Partial<GateSignalInput> = {}): GateSignalInput => ({
  kind: "saturation",
  resource: "jobs",
  severity,
  summary: "queue `jobs` saturating: arrival 85/s > service 60/s, backlog 4,100",
  services: ["api"],
  ...o,
});
const policy = (o: object = {}) => GatePolicySchema.parse(o);

describe("decideGate: decisions", () => {
  it.each([
    { note: "healthy", slos: [slo()], signals: [], p: {}, decision: "pass", codes: ["all_clear"] },
    { note: "budget 25 % exactly: not below the warning level", slos: [slo({ budgetRemainingRatio: 0.25 })], signals: [], p: {}, decision: "pass", codes: ["all_clear"] },
    { note: "budget 12 %", slos: [slo({ budgetRemainingRatio: 0.12 })], signals: [], p: {}, decision: "warn", codes: ["budget_low"] },
    { note: "budget 0 % exactly: low, not below the 0 minimum", slos: [slo({ budgetRemainingRatio: 0 })], signals: [], p: {}, decision: "warn", codes: ["budget_low"] },
    { note: "budget overspent", slos: [slo({ budgetRemainingRatio: -0.04 })], signals: [], p: {}, decision: "fail", codes: ["budget_exhausted"] },
    { note: "budget 8 % under a 10 % minimum", slos: [slo({ budgetRemainingRatio: 0.08 })], signals: [], p: { minBudgetRemainingRatio: 0.1 }, decision: "fail", codes: ["budget_exhausted"] },
    { note: "page alert firing", slos: [slo({ firingAlerts: [{ name: "fast-burn", severity: "page" }] })], signals: [], p: {}, decision: "fail", codes: ["page_alert_firing"] },
    { note: "page alert, policy downgrades to warn", slos: [slo({ firingAlerts: [{ name: "fast-burn", severity: "page" }] })], signals: [], p: { failOnPageAlerts: false }, decision: "warn", codes: ["page_alert_firing"] },
    { note: "ticket alert firing", slos: [slo({ firingAlerts: [{ name: "slow-burn", severity: "ticket" }] })], signals: [], p: {}, decision: "warn", codes: ["ticket_alert_firing"] },
    { note: "ticket alert, policy ignores tickets", slos: [slo({ firingAlerts: [{ name: "slow-burn", severity: "ticket" }] })], signals: [], p: { warnOnTicketAlerts: false }, decision: "pass", codes: ["all_clear"] },
    { note: "critical signal open", slos: [slo()], signals: [signal("critical")], p: {}, decision: "fail", codes: ["critical_signal_open"] },
    { note: "warning signal open", slos: [slo()], signals: [signal("warning")], p: {}, decision: "warn", codes: ["warning_signal_open"] },
    { note: "critical signal on another service", slos: [slo()], signals: [signal("critical", { services: ["billing"] })], p: { scope: { services: ["api"] } }, decision: "pass", codes: ["all_clear"] },
    { note: "key SLO overspent fails", slos: [slo({ budgetRemainingRatio: -0.1 }), slo({ name: "api-latency" })], signals: [], p: { keySlos: ["api-availability"] }, decision: "fail", codes: ["budget_exhausted"] },
    { note: "non-key SLO overspent only warns", slos: [slo(), slo({ name: "api-latency", budgetRemainingRatio: -0.1 })], signals: [], p: { keySlos: ["api-availability"] }, decision: "warn", codes: ["budget_exhausted_not_key"] },
    { note: "non-key page alert only warns", slos: [slo(), slo({ name: "api-latency", firingAlerts: [{ name: "fast-burn", severity: "page" }] })], signals: [], p: { keySlos: ["api-availability"] }, decision: "warn", codes: ["page_alert_firing_not_key"] },
    { note: "key SLO missing is inconclusive", slos: [slo()], signals: [], p: { keySlos: ["checkout-latency"] }, decision: "inconclusive", codes: ["key_slo_missing"] },
    { note: "critical signals still fail with key SLOs", slos: [slo()], signals: [signal("critical")], p: { keySlos: ["api-availability"] }, decision: "fail", codes: ["critical_signal_open"] },
    { note: "unattributed critical signal fails closed", slos: [slo()], signals: [signal("critical", { services: [] })], p: { scope: { services: ["api"] } }, decision: "fail", codes: ["critical_signal_open"] },
    { note: "no budget figure", slos: [slo({ budgetRemainingRatio: null })], signals: [], p: {}, decision: "inconclusive", codes: ["no_data"] },
    { note: "no budget figure, policy fails on missing data", slos: [slo({ budgetRemainingRatio: null })], signals: [], p: { noData: "fail" }, decision: "fail", codes: ["no_data"] },
    { note: "no budget figure, policy only warns on missing data", slos: [slo({ budgetRemainingRatio: null })], signals: [], p: { noData: "warn" }, decision: "warn", codes: ["no_data"] },
    { note: "figures 25 min old", slos: [slo({ evaluatedAt: new Date(NOW.getTime() - 25 * 60_000) })], signals: [], p: {}, decision: "inconclusive", codes: ["no_data"] },
    { note: "no SLO in scope", slos: [slo()], signals: [], p: { scope: { services: ["billing"] } }, decision: "inconclusive", codes: ["no_slos_in_scope"] },
    { note: "no SLOs at all", slos: [], signals: [], p: {}, decision: "inconclusive", codes: ["no_slos_in_scope"] },
    { note: "out-of-scope SLO is ignored", slos: [slo(), slo({ name: "billing", service: "billing", budgetRemainingRatio: -1 })], signals: [], p: { scope: { services: ["api"] } }, decision: "pass", codes: ["all_clear"] },
    { note: "label scope", slos: [slo({ labels: { tier: "1" } }), slo({ name: "batch", budgetRemainingRatio: -1, labels: { tier: "3" } })], signals: [], p: { scope: { labels: { tier: "1" } } }, decision: "pass", codes: ["all_clear"] },
    { note: "1h burn 14.4× over a 10× ceiling", slos: [slo({ burnRates: { "1h": 14.4 } })], signals: [], p: { maxBurnRates: { "1h": 10 } }, decision: "fail", codes: ["burn_rate_high"] },
    { note: "1h burn 9× under a 10× ceiling", slos: [slo({ burnRates: { "1h": 9 } })], signals: [], p: { maxBurnRates: { "1h": 10 } }, decision: "pass", codes: ["all_clear"] },
    { note: "ceiling on a window without data", slos: [slo({ burnRates: { "1h": null } })], signals: [], p: { maxBurnRates: { "1h": 10 } }, decision: "inconclusive", codes: ["no_data"] },
    {
      note: "fail beats warn, failures listed first",
      slos: [slo({ budgetRemainingRatio: 0.1, firingAlerts: [{ name: "slow-burn", severity: "ticket" }] }), slo({ name: "jobs-completion", service: "worker", budgetRemainingRatio: -0.2 })],
      signals: [signal("warning")],
      p: {},
      decision: "fail",
      codes: ["budget_exhausted", "budget_low", "ticket_alert_firing", "warning_signal_open"],
    },
  ])("$note → $decision", ({ slos, signals, p, decision, codes }) => {
    const got = decideGate({ policy: policy(p), slos, openSignals: signals, now: NOW });
    expect(got.decision).toBe(decision);
    expect(got.reasons.map((r) => r.code)).toEqual(codes);
    expect(got.evaluatedAt).toBe(NOW.toISOString());
  });
});

describe("decideGate: reasons a release manager reads", () => {
  const message = (slos: GateSloInput[], signals: GateSignalInput[] = [], p: object = {}) =>
    decideGate({ policy: policy(p), slos, openSignals: signals, now: NOW }).reasons.map((r) => r.message);

  it.each([
    { slos: [slo()], want: "The one SLO in scope has at least 25% of the error budget left, no alerts are firing and no signals are open." },
    { slos: [slo({ budgetRemainingRatio: 0.12 })], want: 'SLO "api-availability" has 12% of its error budget left, below the 25% warning level.' },
    { slos: [slo({ budgetRemainingRatio: -0.04 })], want: 'SLO "api-availability" has -4% of its error budget left: the budget is spent, so releases wait until it recovers.' },
    { slos: [slo({ firingAlerts: [{ name: "fast-burn", severity: "page" }] })], want: 'Page alert "fast-burn" is firing on SLO "api-availability".' },
    { slos: [slo({ budgetRemainingRatio: null })], want: 'SLO "api-availability" has no error-budget figure (no data in its window), so this gate cannot vouch for it.' },
    { slos: [slo({ evaluatedAt: new Date(NOW.getTime() - 25 * 60_000) })], want: 'SLO "api-availability" was last evaluated 25 min ago, older than the 10 min this gate accepts.' },
  ])("$want", ({ slos, want }) => expect(message(slos)[0]).toBe(want));

  it("counts several SLOs", () => {
    expect(message([slo(), slo({ name: "jobs-completion" })])[0]).toBe("All 2 SLOs in scope have at least 25% of the error budget left, no alerts are firing and no signals are open.");
  });

  it("quotes the signal's own summary", () => {
    expect(message([slo()], [signal("critical")])[0]).toBe(
      "A critical saturation signal is open: queue `jobs` saturating: arrival 85/s > service 60/s, backlog 4,100.",
    );
  });

  it("names the burn rate, window and ceiling", () => {
    const [reason] = decideGate({ policy: policy({ maxBurnRates: { "1h": 10 } }), slos: [slo({ burnRates: { "1h": 14.4 } })], openSignals: [], now: NOW }).reasons;
    expect(reason).toMatchObject({
      code: "burn_rate_high",
      level: "fail",
      subject: { type: "slo", name: "api-availability" },
      figure: 14.4,
      threshold: 10,
      message: 'SLO "api-availability" is burning its error budget at 14.4× the sustainable rate over 1h, above the 10× this gate allows.',
    });
  });
});
