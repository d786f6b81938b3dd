import { describe, expect, it } from "vitest";
import {
  durationPercentiles,
  exactUUpperTail,
  fisherExactGreater,
  mannWhitney,
  mannWhitneyFromCounts,
  normalUpperTail,
  proportionGreaterTest,
  twoProportionZGreater,
} from "./canary-stats";

// Reference p-values are literals printed by scipy 1.17.1 (the call is on each row), and are checked again
// below by brute force in exact integer arithmetic where the test is exact.

const side = (badEvents: number, events: number) => ({ events, badEvents });
/** Relative closeness, for p-values spanning many orders of magnitude. */
const expectRelative = (got: number, want: number, tolerance: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(want), Number.MIN_VALUE));

function chooseBig(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** P(X ≥ a) for the table's hypergeometric, summed as exact integers. */
function fisherBrute(a: number, n1: number, c: number, n2: number): number {
  const bad = a + c;
  let num = 0n;
  for (let k = a; k <= Math.min(n1, bad); k++) num += chooseBig(n1, k) * chooseBig(n2, bad - k);
  const den = chooseBig(n1 + n2, bad);
  const scale = 10n ** 30n;
  return Number((num * scale) / den) / 1e30;
}

describe("normalUpperTail", () => {
  it.each([
    [0, 0.5],
    [1, 0.15865525393145707],
    [1.96, 0.024997895148220435],
    [3, 0.0013498980316300933],
    [5, 2.866515718791933e-7],
    [-2, 0.9772498680518208],
  ])("scipy.stats.norm.sf(%d) = %d", (z, want) => expectRelative(normalUpperTail(z), want, 2e-7));

  it("is 0 and 1 at the infinities", () => {
    expect(normalUpperTail(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalUpperTail(Number.NEGATIVE_INFINITY)).toBe(1);
  });
});

describe("fisherExactGreater", () => {
  // [[a, b], [c, d]] = [[candidate bad, good], [baseline bad, good]]
  it.each([
    { a: 3, b: 1, c: 1, d: 3, want: 0.24285714285714283, call: "fisher_exact([[3,1],[1,3]]) = 17/70; R's TeaTasting example, p = 0.2429" },
    { a: 10, b: 3, c: 2, d: 15, want: 0.000465180943362905, call: "fisher_exact([[10,3],[2,15]]); R's Convictions example (alternative less, rows swapped), p = 0.0004652" },
    { a: 8, b: 2, c: 1, d: 5, want: 0.024475524475524483, call: "fisher_exact([[8,2],[1,5]]) = 280/11440" },
    { a: 5, b: 0, c: 0, d: 5, want: 0.003968253968253969, call: "fisher_exact([[5,0],[0,5]]) = 1/252" },
    { a: 3, b: 997, c: 0, d: 1000, want: 0.12481240620310154, call: "fisher_exact([[3,997],[0,1000]])" },
    { a: 4, b: 96, c: 0, d: 100, want: 0.06062036068668214, call: "fisher_exact([[4,96],[0,100]])" },
    { a: 1, b: 9, c: 8, d: 2, want: 0.9999404620147654, call: "fisher_exact([[1,9],[8,2]]): candidate better" },
    { a: 30, b: 99970, c: 10, d: 99990, want: 0.0011096186254786445, call: "fisher_exact([[30,99970],[10,99990]])" },
    { a: 520, b: 4480, c: 450, d: 4550, want: 0.009846659048821964, call: "fisher_exact([[520,4480],[450,4550]])" },
    { a: 1, b: 999999, c: 0, d: 1000000, want: 0.5000000001415239, call: "fisher_exact([[1,999999],[0,1000000]])" },
    { a: 2000, b: 998000, c: 1000, d: 999000, want: 3.926666884703927e-76, call: "fisher_exact([[2000,998000],[1000,999000]])" },
    { a: 0, b: 100, c: 0, d: 100, want: 1, call: "fisher_exact([[0,100],[0,100]]): no bad events" },
    { a: 100, b: 0, c: 100, d: 0, want: 1, call: "fisher_exact([[100,0],[100,0]]): all bad" },
  ])("$call", ({ a, b, c, d, want }) => {
    expectRelative(fisherExactGreater(side(a, a + b), side(c, c + d)), want, 1e-7);
  });

  it("agrees with exact integer sums on every table with up to 6 events a side", () => {
    for (let n1 = 0; n1 <= 6; n1++)
      for (let n2 = 0; n2 <= 6; n2++)
        for (let a = 0; a <= n1; a++)
          for (let c = 0; c <= n2; c++) expect(fisherExactGreater(side(a, n1), side(c, n2))).toBeCloseTo(fisherBrute(a, n1, c, n2), 12);
  });

  it.each([
    [30, 100_000, 10, 100_000],
    [7, 250, 1, 4_000],
    [50, 60, 20, 60],
    [1, 3, 200, 300],
  ])("agrees with exact integer sums on %i/%i vs %i/%i", (a, n1, c, n2) => {
    expectRelative(fisherExactGreater(side(a, n1), side(c, n2)), fisherBrute(a, n1, c, n2), 1e-8);
  });

  it("is 1 when either side has no events", () => {
    expect(fisherExactGreater(side(0, 0), side(0, 0))).toBe(1);
    expect(fisherExactGreater(side(0, 0), side(5, 100))).toBe(1);
    expect(fisherExactGreater(side(5, 100), side(0, 0))).toBe(1);
  });
});

describe("twoProportionZGreater", () => {
  // z = (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)), p = norm.sf(z): statsmodels proportions_ztest(alternative="larger").
  it.each([
    { a: 30, n1: 1000, c: 15, n2: 1000, want: 0.011859321316095729, note: "z = 2.2617" },
    { a: 15, n1: 1000, c: 15, n2: 1000, want: 0.5, note: "equal proportions, z = 0" },
    { a: 10, n1: 1000, c: 30, n2: 1000, want: 0.9992993492095199, note: "candidate better, z = −3.194" },
    { a: 520, n1: 5000, c: 450, n2: 5000, want: 0.009010111579389813, note: "z = 2.3652" },
    { a: 60, n1: 2000, c: 40, n2: 3000, want: 1.862306659443294e-5, note: "unequal sizes, z = 4.1239" },
  ])("$a/$n1 vs $c/$n2 ($note)", ({ a, n1, c, n2, want }) => {
    expectRelative(twoProportionZGreater(side(a, n1), side(c, n2)), want, 2e-6);
  });

  it("stays finite on a billion events a side (z = 11.2, scipy gives 1.6e-29)", () => {
    const p = twoProportionZGreater(side(10_050_000, 1e9), side(10_000_000, 1e9));
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeLessThan(1e-12);
    expect(p).toBeGreaterThanOrEqual(0);
  });
});

describe("proportionGreaterTest", () => {
  // Smallest expected cell = smaller row × smaller column / total.
  it.each([
    { cand: side(30, 1000), base: side(15, 1000), test: "z", note: "expected bad cell 22.5" },
    { cand: side(4, 100), base: side(0, 100), test: "fisher", note: "expected bad cell 2" },
    { cand: side(5, 1000), base: side(4, 1000), test: "fisher", note: "expected bad cell 4.5" },
    { cand: side(5, 1000), base: side(5, 1000), test: "z", note: "expected bad cell exactly 5" },
    { cand: side(97, 100), base: side(99, 100), test: "fisher", note: "expected good cell 2: nearly all bad" },
    { cand: side(0, 0), base: side(10, 100), test: "fisher", note: "empty candidate" },
    { cand: side(0, 5000), base: side(0, 5000), test: "fisher", note: "no bad events at all" },
  ])("$note → $test", ({ cand, base, test }) => {
    const got = proportionGreaterTest(cand, base);
    expect(got.test).toBe(test);
    expect(got.pValue).toBeGreaterThanOrEqual(0);
    expect(got.pValue).toBeLessThanOrEqual(1);
  });

  it("no bad events and all bad events give p = 1", () => {
    expect(proportionGreaterTest(side(0, 5000), side(0, 5000)).pValue).toBe(1);
    expect(proportionGreaterTest(side(5000, 5000), side(5000, 5000)).pValue).toBe(1);
  });
});

/** U of the candidate by comparing every pair, ties counting one half. */
function pairU(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

/** P(U ≥ u) by enumerating every way to pick the candidate's m ranks among m + n. */
function exactBrute(u: number, m: number, n: number): number {
  let hits = 0;
  let all = 0;
  const walk = (next: number, left: number, rankSum: number) => {
    if (left === 0) {
      all++;
      if (rankSum - (m * (m + 1)) / 2 >= u) hits++;
      return;
    }
    for (let r = next; r <= m + n - left + 1; r++) walk(r + 1, left - 1, rankSum + r);
  };
  walk(1, m, 0);
  return hits / all;
}

describe("exactUUpperTail", () => {
  it("matches enumeration of every rank assignment for samples up to 7 × 7", () => {
    for (let m = 0; m <= 7; m++)
      for (let n = 0; n <= 7; n++)
        for (let u = 0; u <= m * n; u++) expect(exactUUpperTail(u, m, n)).toBeCloseTo(exactBrute(u, m, n), 12);
  });

  it("is symmetric in the sample sizes and sums to one over 8 × 5000", () => {
    expect(exactUUpperTail(17, 5, 4)).toBeCloseTo(exactUUpperTail(17, 4, 5), 14);
    // P(U ≥ 0) = 1, and the far tail P(U ≥ mn) = 1 / C(5008, 8), finite and positive.
    expect(exactUUpperTail(0, 8, 5000)).toBe(1);
    const far = exactUUpperTail(40_000, 8, 5000);
    expect(far).toBeGreaterThan(0);
    expectRelative(far, 1 / Number(chooseBig(5008, 8)), 1e-6);
  });
});

describe("mannWhitney (raw samples), against scipy.stats.mannwhitneyu(x, y, alternative='greater')", () => {
  it.each([
    { x: [19, 22, 16, 29, 24], y: [20, 11, 17, 12], u: 17, p: 0.05555555555555555, method: "exact", note: "scipy docs' example: two-sided 0.1111 halved, 7/126" },
    { x: [3, 5, 7], y: [1, 2, 4, 6], u: 9, p: 0.2, method: "exact", note: "3 vs 4, no ties" },
    { x: [20.5, 45.5], y: Array.from({ length: 50 }, (_, i) => i), u: 67, p: 0.23076923076923075, method: "exact", note: "2 vs 50: one side ≤ 8 is enough for exact" },
    { x: [9, 10, 11, 12, 13, 14, 15, 16], y: [1, 2, 3, 4, 5, 6, 7, 8], u: 64, p: 7.77000777000777e-5, method: "exact", note: "8 vs 8 all slower: 1/12870" },
    { x: [2], y: [1], u: 1, p: 0.5, method: "exact", note: "1 vs 1" },
    { x: [1, 2, 3], y: [1.5, 2.5, 0.5], u: 6, p: 0.35, method: "exact", note: "interleaved 3 vs 3" },
    { x: [1, 2, 2, 3, 3, 3], y: [1, 1, 2, 2, 3], u: 20.5, p: 0.16673516913094372, method: "asymptotic", note: "ties force the normal approximation" },
    { x: [2, 4, 6, 8, 10, 12, 14, 16, 19], y: [1, 3, 5, 7, 9, 11, 13, 15, 17], u: 45, p: 0.36196601980698784, method: "asymptotic", note: "9 vs 9 without ties" },
    { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], u: 50, p: 0.5151319787899796, method: "asymptotic", note: "identical samples: p just over 0.5 (continuity correction)" },
    { x: Array<number>(20).fill(5), y: Array<number>(30).fill(5), u: 300, p: 1, method: "asymptotic", note: "every value equal" },
  ])("$note", ({ x, y, u, p, method }) => {
    const got = mannWhitney(x, y);
    expect(got.u).toBe(u);
    expect(got.u).toBe(pairU(x, y));
    expect(got.method).toBe(method);
    expectRelative(got.pValue, p, 2e-6);
  });

  it("the asymptotic form of the scipy docs' example: method='asymptotic' two-sided 0.11134688653314041 halved", () => {
    // Forcing the normal path: a tie-free 9th value on each side would change U, so check the formula directly.
    const sd = Math.sqrt(((5 * 4) / 12) * (5 + 4 + 1));
    expectRelative(normalUpperTail((17 - 10 - 0.5) / sd), 0.055673443266570206, 2e-6);
  });
});

describe("mannWhitneyFromCounts", () => {
  const expand = (counts: readonly number[]) => counts.flatMap((c, bin) => Array<number>(c).fill(bin));

  it("gives the same U and p as the raw samples the bins stand for", () => {
    const cand = [0, 2, 0, 3, 1, 0, 4];
    const base = [1, 0, 2, 2, 0, 3, 1];
    const fromCounts = mannWhitneyFromCounts(cand, base);
    const fromRaw = mannWhitney(expand(cand), expand(base));
    expect(fromCounts).toEqual(fromRaw);
    expect(fromCounts.u).toBe(pairU(expand(cand), expand(base)));
  });

  // 13 bins of a latency histogram, ~3,900 spans a side, the candidate shifted one bin slower in its body.
  const candidate = [0, 5, 40, 300, 800, 1200, 900, 400, 150, 60, 20, 5, 2];
  const baseline = [0, 8, 60, 380, 900, 1150, 700, 300, 90, 30, 10, 3, 1];
  it.each([
    { x: candidate, y: baseline, u: 7852840.5, p: 7.834990379934777e-19, note: "slower candidate (scipy on np.repeat(bins, counts): 7.8e-19)" },
    { x: baseline, y: candidate, u: 6246583.5, p: 1, note: "faster candidate" },
  ])("$note", ({ x, y, u, p }) => {
    const got = mannWhitneyFromCounts(x, y);
    expect(got.u).toBe(u);
    expect(got.method).toBe("asymptotic");
    if (p < 1e-12) expect(got.pValue).toBeLessThan(1e-12);
    else expectRelative(got.pValue, p, 2e-6);
  });

  it("identical histograms of 82,000 spans a side give p ≈ 0.5 (scipy: 0.5000000216756902)", () => {
    const counts = [1000, 5000, 20000, 30000, 20000, 5000, 1000, 0];
    const got = mannWhitneyFromCounts(counts, counts);
    expect(got.u).toBe(3362000000);
    expectRelative(got.pValue, 0.5000000216756902, 2e-6);
  });

  it("stays finite with millions of spans per bin", () => {
    const got = mannWhitneyFromCounts([4e6, 9e6, 3e6, 1e5], [5e6, 9e6, 2e6, 5e4]);
    expect(Number.isFinite(got.u)).toBe(true);
    expect(got.pValue).toBeGreaterThanOrEqual(0);
    expect(got.pValue).toBeLessThan(1e-12);
  });

  it("an empty side gives p = 1", () => {
    expect(mannWhitneyFromCounts([0, 0, 0], [3, 4, 5]).pValue).toBe(1);
    expect(mannWhitneyFromCounts([0, 0], [0, 0]).pValue).toBe(1);
  });

  it("refuses bins that do not line up", () => {
    expect(() => mannWhitneyFromCounts([1, 2], [1, 2, 3])).toThrow(/same bins/);
  });
});

describe("durationPercentiles", () => {
  it("interpolates inside the bucket as histogram_quantile", () => {
    // 100 spans: 50 in (0, 100], 40 in (100, 200], 10 in (200, 400]; p50 = 100, p95 = 200 + 200 · 5/10 = 300,
    // p99 = 200 + 200 · 9/10 = 380.
    expect(durationPercentiles([100, 200, 400], [50, 40, 10, 0])).toEqual({ p50Ms: 100, p95Ms: 300, p99Ms: 380 });
  });

  it("is null without spans", () => {
    expect(durationPercentiles([100, 200], [0, 0, 0])).toEqual({ p50Ms: null, p95Ms: null, p99Ms: null });
  });
});
