import { describe, expect, it } from "vitest";
import { type CanarySideInput, type CanarySloInput, judgeCanary } from "./canary";
import { canaryThresholds, CanaryThresholdsSchema, GatePolicySchema } from "./policy";

const DEFAULTS = CanaryThresholdsSchema.parse({});
const thresholds = (o: object = {}) => CanaryThresholdsSchema.parse(o);
const ratioSide = (badEvents: number, events: number): CanarySideInput => ({ events, badEvents });

// Latency buckets (ms): (0, 50], (50, 100], (100, 200], (200, 400], (400, 800], (800, +Inf).
const BOUNDS = [50, 100, 200, 400, 800];
const durationSide = (counts: number[], badEvents = 0): CanarySideInput => ({
  events: counts.reduce((a, c) => a + c, 0),
  badEvents,
  durations: { boundsMs: BOUNDS, counts },
});
// 1,000 spans each. Baseline p95: rank 950 is the last of (200, 400] → 400 ms.
// Slow candidate p95: rank 950 is the 60th of 80 in (400, 800] → 400 + 400 · 60/80 = 700 ms (+75 %).
const BASE = [100, 300, 400, 150, 40, 10];
const SLOW = [40, 200, 400, 250, 80, 30];
// 100 spans each, only 4 candidate spans slower in the tail: p95 325 → 600 ms, but scipy's p = 0.332.
const TAIL_BASE = [20, 40, 30, 8, 2, 0];
const TAIL_SLOW = [20, 38, 28, 8, 2, 4];

const availability = (candidate: CanarySideInput, baseline: CanarySideInput, slo = "checkout-availability"): CanarySloInput => ({
  slo, sli: "availability", candidate, baseline,
});
const latency = (candidate: CanarySideInput, baseline: CanarySideInput, sli: CanarySloInput["sli"] = "latency"): CanarySloInput => ({
  slo: "checkout-latency", sli, candidate, baseline,
});

describe("judgeCanary: verdicts", () => {
  // p-values from scipy 1.17.1: fisher_exact(…, alternative="greater"), norm.sf of the pooled z, and
  // mannwhitneyu(np.repeat(bins, candidate), np.repeat(bins, baseline), alternative="greater").
  it.each([
    { note: "3% vs 1.5% errors, 1,000 each: +1.5 points, z p = 0.0119", slo: availability(ratioSide(30, 1000), ratioSide(15, 1000)), t: {}, verdict: "worse", test: "z", p: 0.011859321316095729 },
    { note: "same error ratio", slo: availability(ratioSide(15, 1000), ratioSide(15, 1000)), t: {}, verdict: "not_worse", test: "z", p: 0.5 },
    { note: "10.4% vs 9%, 5,000 each", slo: availability(ratioSide(520, 5000), ratioSide(450, 5000)), t: {}, verdict: "worse", test: "z", p: 0.009010111579389813 },
    { note: "candidate better", slo: availability(ratioSide(10, 1000), ratioSide(30, 1000)), t: {}, verdict: "not_worse", test: "z", p: 0.9992993492095199 },
    { note: "significant but within +0.5 points: 1.005% vs 1% of a billion", slo: availability(ratioSide(10_050_000, 1e9), ratioSide(10_000_000, 1e9)), t: {}, verdict: "not_worse", test: "z", p: null },
    { note: "+3 points but not significant: 3/100 vs 0/100, Fisher p = 0.123", slo: availability(ratioSide(3, 100), ratioSide(0, 100)), t: {}, verdict: "not_worse", test: "fisher", p: 0.12311557788944724 },
    { note: "stricter significance level 0.01 turns p = 0.0119 into not worse", slo: availability(ratioSide(30, 1000), ratioSide(15, 1000)), t: { significanceLevel: 0.01 }, verdict: "not_worse", test: "z", p: 0.011859321316095729 },
    { note: "looser allowance of 2 points tolerates +1.5", slo: availability(ratioSide(30, 1000), ratioSide(15, 1000)), t: { maxErrorRatioIncrease: 0.02 }, verdict: "not_worse", test: "z", p: 0.011859321316095729 },
    { note: "no increase allowed: any significant rise fails", slo: availability(ratioSide(520, 5000), ratioSide(450, 5000)), t: { maxErrorRatioIncrease: 0 }, verdict: "worse", test: "z", p: 0.009010111579389813 },
    { note: "25% errors on 40 events: too few, however bad (Fisher p = 4.7e-9)", slo: availability(ratioSide(10, 40), ratioSide(15, 1000)), t: {}, verdict: "insufficient_data", test: "fisher", p: 4.734229274592851e-9 },
    { note: "99 candidate events", slo: availability(ratioSide(0, 99), ratioSide(10, 5000)), t: {}, verdict: "insufficient_data", test: "fisher", p: null },
    { note: "99 baseline events", slo: availability(ratioSide(10, 5000), ratioSide(0, 99)), t: {}, verdict: "insufficient_data", test: "fisher", p: null },
    { note: "exactly 100 a side is enough", slo: availability(ratioSide(3, 100), ratioSide(0, 100)), t: {}, verdict: "not_worse", test: "fisher", p: null },
    { note: "no candidate events", slo: availability(ratioSide(0, 0), ratioSide(10, 5000)), t: {}, verdict: "insufficient_data", test: "fisher", p: 1 },
    { note: "no events at all", slo: availability(ratioSide(0, 0), ratioSide(0, 0)), t: {}, verdict: "insufficient_data", test: "fisher", p: 1 },
    { note: "every event bad on both sides", slo: availability(ratioSide(1000, 1000), ratioSide(1000, 1000)), t: {}, verdict: "not_worse", test: "fisher", p: 1 },
    { note: "no bad events on either side", slo: availability(ratioSide(0, 1000), ratioSide(0, 1000)), t: {}, verdict: "not_worse", test: "fisher", p: 1 },
    { note: "a lower minimum lets 60 a side count", slo: availability(ratioSide(10, 60), ratioSide(2, 60)), t: { minEventsPerSide: 50 }, verdict: "worse", test: "z", p: null },
    { note: "p95 400 → 700 ms, scipy p = 4.6e-22", slo: latency(durationSide(SLOW), durationSide(BASE)), t: {}, verdict: "worse", test: "mann_whitney_u", p: null },
    { note: "same durations", slo: latency(durationSide(BASE), durationSide(BASE)), t: {}, verdict: "not_worse", test: "mann_whitney_u", p: 0.5000162415848332 },
    { note: "faster candidate", slo: latency(durationSide(BASE), durationSide(SLOW)), t: {}, verdict: "not_worse", test: "mann_whitney_u", p: 1 },
    { note: "+75% p95 significant, but the policy allows +100%", slo: latency(durationSide(SLOW), durationSide(BASE)), t: { maxP95IncreaseRatio: 1 }, verdict: "not_worse", test: "mann_whitney_u", p: null },
    { note: "p95 325 → 600 ms on a few tail spans: not significant", slo: latency(durationSide(TAIL_SLOW), durationSide(TAIL_BASE)), t: {}, verdict: "not_worse", test: "mann_whitney_u", p: 0.33189709281987023 },
    { note: "99 spans", slo: latency(durationSide([9, 40, 30, 15, 5, 0]), durationSide(BASE)), t: {}, verdict: "insufficient_data", test: "mann_whitney_u", p: null },
    { note: "queue wait is judged on durations too", slo: latency(durationSide(SLOW), durationSide(BASE), "queueWait"), t: {}, verdict: "worse", test: "mann_whitney_u", p: null },
    { note: "latency without histograms falls back to the share of slow events", slo: latency(ratioSide(30, 1000), ratioSide(15, 1000)), t: {}, verdict: "worse", test: "z", p: 0.011859321316095729 },
    { note: "availability is judged on errors even with slower durations", slo: availability(durationSide(SLOW, 15), durationSide(BASE, 15)), t: {}, verdict: "not_worse", test: "z", p: 0.5 },
    { note: "job completion is judged on its bad-event ratio", slo: { ...availability(ratioSide(30, 1000), ratioSide(15, 1000)), sli: "jobCompletion" as const }, t: {}, verdict: "worse", test: "z", p: 0.011859321316095729 },
  ])("$note → $verdict", ({ slo, t, verdict, test, p }) => {
    const { comparisons, reasons } = judgeCanary({ slos: [slo], thresholds: thresholds(t) });
    expect(comparisons).toHaveLength(1);
    expect(comparisons[0]).toMatchObject({ slo: slo.slo, sli: slo.sli, verdict, test });
    if (p !== null) expect(comparisons[0]?.pValue).toBeCloseTo(p, 6);
    const code = { worse: "canary_worse", not_worse: "canary_not_worse", insufficient_data: "canary_insufficient_data" }[verdict];
    const level = { worse: "fail", not_worse: "info", insufficient_data: "inconclusive" }[verdict];
    expect(reasons).toMatchObject([{ code, level, subject: { type: "slo", name: slo.slo } }]);
  });

  it("reports both sides' figures", () => {
    const [c] = judgeCanary({ slos: [latency(durationSide(SLOW, 12), durationSide(BASE, 3))], thresholds: DEFAULTS }).comparisons;
    // Candidate p50: rank 500 is the 260th of 400 in (100, 200] → 165 ms; p99: rank 990 is the 20th of 30 in
    // +Inf → the last finite bound, 800. Baseline p50: rank 500 is the 100th of 400 in (100, 200] → 125 ms;
    // p99: rank 990 is the last of 40 in (400, 800] → 800 ms.
    expect(c?.candidate).toEqual({ events: 1000, badEvents: 12, ratio: 0.012, p50Ms: 165, p95Ms: 700, p99Ms: 800 });
    expect(c?.baseline).toEqual({ events: 1000, badEvents: 3, ratio: 0.003, p50Ms: 125, p95Ms: 400, p99Ms: 800 });
  });

  it("keeps missing figures null, never 0", () => {
    const [c] = judgeCanary({ slos: [availability(ratioSide(0, 0), ratioSide(5, 500))], thresholds: DEFAULTS }).comparisons;
    expect(c?.candidate).toEqual({ events: 0, badEvents: 0, ratio: null, p50Ms: null, p95Ms: null, p99Ms: null });
  });

  it("judges several SLOs in input order", () => {
    const got = judgeCanary({
      slos: [availability(ratioSide(30, 1000), ratioSide(15, 1000), "a"), availability(ratioSide(1, 10), ratioSide(1, 10), "b"), latency(durationSide(BASE), durationSide(BASE))],
      thresholds: DEFAULTS,
    });
    expect(got.comparisons.map((c) => [c.slo, c.verdict])).toEqual([["a", "worse"], ["b", "insufficient_data"], ["checkout-latency", "not_worse"]]);
    expect(got.reasons.map((r) => r.code)).toEqual(["canary_worse", "canary_insufficient_data", "canary_not_worse"]);
  });

  it("judges nothing when no SLO is given", () => {
    expect(judgeCanary({ slos: [], thresholds: DEFAULTS })).toEqual({ comparisons: [], reasons: [] });
  });

  it("refuses histograms over different buckets", () => {
    const other: CanarySideInput = { events: 1000, badEvents: 0, durations: { boundsMs: [10, 20, 40, 80, 160], counts: BASE } };
    expect(() => judgeCanary({ slos: [latency(durationSide(SLOW), other)], thresholds: DEFAULTS })).toThrow(/different buckets/);
  });
});

describe("judgeCanary: reasons a release manager reads", () => {
  const reasonOf = (slo: CanarySloInput, t: object = {}) => judgeCanary({ slos: [slo], thresholds: thresholds(t) }).reasons[0];

  it("a worse error ratio names both ratios, the difference, p and both thresholds", () => {
    expect(reasonOf(availability(ratioSide(30, 1000), ratioSide(15, 1000)))).toEqual({
      code: "canary_worse",
      level: "fail",
      subject: { type: "slo", name: "checkout-availability" },
      figure: 0.015,
      threshold: 0.005,
      message:
        'SLO "checkout-availability": the candidate is worse than the baseline. The candidate\'s error ratio is 3% (30 of 1,000 events) against the baseline\'s 1.5% (15 of 1,000 events), 1.5 percentage points higher, beyond the +0.5 percentage points this gate allows, and significant: p = 0.012 by two-proportion z-test, below the 0.05 significance level.',
    });
  });

  it.each([
    {
      slo: availability(ratioSide(3, 100), ratioSide(0, 100)),
      want: 'SLO "checkout-availability": the candidate is not worse than the baseline. The candidate\'s error ratio is 3% (3 of 100 events) against the baseline\'s 0% (0 of 100 events), 3 percentage points higher; not significant: p = 0.12 by Fisher\'s exact test, not below the 0.05 significance level (this gate allows +0.5 percentage points).',
    },
    {
      slo: availability(ratioSide(10_050_000, 1e9), ratioSide(10_000_000, 1e9)),
      want: 'SLO "checkout-availability": the candidate is not worse than the baseline. The candidate\'s error ratio is 1% (10,050,000 of 1,000,000,000 events) against the baseline\'s 1% (10,000,000 of 1,000,000,000 events), 0.005 percentage points higher; significant (p < 0.0001 by two-proportion z-test, below the 0.05 significance level) but within the +0.5 percentage points this gate allows.',
    },
    {
      slo: latency(durationSide(SLOW), durationSide(BASE)),
      want: 'SLO "checkout-latency": the candidate is worse than the baseline. The candidate\'s p95 is 700 ms against the baseline\'s 400 ms (1,000 and 1,000 spans), 75% slower, beyond the +10% on p95 this gate allows, and significant: p < 0.0001 by Mann–Whitney U, below the 0.05 significance level.',
    },
    {
      slo: latency(durationSide(BASE), durationSide(SLOW)),
      want: 'SLO "checkout-latency": the candidate is not worse than the baseline. The candidate\'s p95 is 400 ms against the baseline\'s 700 ms (1,000 and 1,000 spans), 42.9% faster; not significant: p = 1 by Mann–Whitney U, not below the 0.05 significance level (this gate allows +10% on p95).',
    },
    {
      slo: availability(ratioSide(10, 40), ratioSide(15, 1000)),
      want: 'SLO "checkout-availability": too little traffic to compare the candidate with the baseline: 40 and 1,000 events, and this gate needs 100 on each side. So far the candidate\'s error ratio is 25% (10 of 40 events) against the baseline\'s 1.5% (15 of 1,000 events), 23.5 percentage points higher (p < 0.0001 by Fisher\'s exact test; significance level 0.05, allowed +0.5 percentage points).',
    },
    {
      slo: availability(ratioSide(0, 0), ratioSide(15, 1000)),
      want: 'SLO "checkout-availability": too little traffic to compare the candidate with the baseline: 0 and 1,000 events, and this gate needs 100 on each side. So far the candidate\'s error ratio is unmeasured (no events) against the baseline\'s 1.5% (15 of 1,000 events), no difference can be measured yet (p = 1 by Fisher\'s exact test; significance level 0.05, allowed +0.5 percentage points).',
    },
    {
      slo: latency(durationSide([0, 0, 0, 0, 0, 0]), durationSide(BASE)),
      want: 'SLO "checkout-latency": too little traffic to compare the candidate with the baseline: 0 and 1,000 spans, and this gate needs 100 on each side. So far the candidate has 0 spans and the baseline 1,000, no difference can be measured yet (p = 1 by Mann–Whitney U; significance level 0.05, allowed +10% on p95).',
    },
  ])("$want", ({ slo, want }) => expect(reasonOf(slo)?.message).toBe(want));

  it("an inconclusive reason carries the smaller side and the minimum", () => {
    expect(reasonOf(availability(ratioSide(10, 40), ratioSide(15, 1000)))).toMatchObject({ figure: 40, threshold: 100 });
  });
});

describe("canary thresholds in the gate policy", () => {
  it("a policy without a canary block parses as before and gets the defaults", () => {
    const policy = GatePolicySchema.parse({});
    expect(policy).not.toHaveProperty("canary");
    expect(canaryThresholds(policy)).toEqual({ maxErrorRatioIncrease: 0.005, maxP95IncreaseRatio: 0.1, significanceLevel: 0.05, minEventsPerSide: 100 });
  });

  it("fills what a canary block leaves out", () => {
    expect(canaryThresholds(GatePolicySchema.parse({ canary: { significanceLevel: 0.01 } }))).toEqual({
      maxErrorRatioIncrease: 0.005, maxP95IncreaseRatio: 0.1, significanceLevel: 0.01, minEventsPerSide: 100,
    });
  });

  it.each([
    { canary: { significanceLevel: 0 }, note: "significance level 0" },
    { canary: { significanceLevel: 0.6 }, note: "significance level above 0.5" },
    { canary: { maxErrorRatioIncrease: -0.01 }, note: "negative allowance" },
    { canary: { maxErrorRatioIncrease: 5 }, note: "error-ratio allowance above 1 (a ratio, not percentage points)" },
    { canary: { maxP95IncreaseRatio: -0.1 }, note: "negative p95 allowance" },
    { canary: { minEventsPerSide: 0 }, note: "no minimum" },
    { canary: { minEventsPerSide: 2.5 }, note: "fractional minimum" },
  ])("rejects $note", ({ canary }) => expect(GatePolicySchema.safeParse({ canary }).success).toBe(false));
});
