import { describe, expect, it } from "vitest";
import { trimLeadingGaps } from "./format";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute)).toISOString();
const chart = (name: string, values: (number | null)[]) => ({ name, points: values.map((value, i) => ({ at: at(i), value })) });

describe("evidence charts", () => {
  it("start one point before the first data of any chart of the signal, all at the same time", () => {
    const trimmed = trimLeadingGaps([chart("depth", [null, null, null, null, 5, 7]), chart("arrivals", [null, null, null, 3, null, 4])]);
    expect(trimmed.map((c) => c.points.map((p) => p.value))).toEqual([
      [null, null, 5, 7],
      [null, 3, null, 4],
    ]);
    expect(trimmed[0]?.points[0]?.at).toBe(at(2));
  });

  it("keep gaps after the data begins, and leave charts that start with data or have none", () => {
    expect(trimLeadingGaps([chart("a", [1, null, 2])])[0]?.points.map((p) => p.value)).toEqual([1, null, 2]);
    expect(trimLeadingGaps([chart("a", [null, null])])[0]?.points).toHaveLength(2);
    expect(trimLeadingGaps([])).toEqual([]);
  });
});
