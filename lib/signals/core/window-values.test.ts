import { describe, expect, it } from "vitest";
import { divideWindows, meanOfWindows, runningTotalFromOldest, subtractWindows } from "./window-values";

// Index 0 is the newest window; null is a gap.
describe("window arithmetic keeps gaps as gaps", () => {
  it.each([
    { note: "per window", a: [10, 6], b: [5, 3], scale: 1, want: [2, 2] },
    { note: "a gap on either side, or a zero divisor, is a gap", a: [10, null, 4], b: [null, 2, 0], scale: 1, want: [null, null, null] },
    { note: "scaled: 3e9 ns busy over 3 jobs is 1000 ms", a: [3e9], b: [3], scale: 1e-6, want: [1000] },
  ])("divideWindows: $note", ({ a, b, scale, want }) => {
    expect(divideWindows(a, b, scale)).toEqual(want);
  });

  it("subtractWindows: 10 consumed − 4 retries = 6 first attempts; gaps stay gaps", () => {
    expect(subtractWindows([10, 5, null], [4, null, 1])).toEqual([6, null, null]);
  });

  it.each([
    { note: "windows 0..1 of [0.5, 0.3, 0.1]", from: 0, to: 2, want: 0.4 },
    { note: "gaps are skipped: windows 2..3 hold 0.1 and a gap", from: 2, to: 4, want: 0.1 },
    { note: "all gaps", from: 3, to: 5, want: null },
  ])("meanOfWindows: $note", ({ from, to, want }) => {
    expect(meanOfWindows([0.5, 0.3, 0.1, null, null], from, to)).toBe(want);
  });

  it("runningTotalFromOldest: 1 dead-lettered three minutes ago, 2 now → 1, 1, 3 (newest first)", () => {
    expect(runningTotalFromOldest([2, 0, 1, null])).toEqual([3, 1, 1, null]);
  });

  it("runningTotalFromOldest restarts after a gap", () => {
    expect(runningTotalFromOldest([1, 2, null, 5])).toEqual([3, 2, null, 5]);
  });
});
