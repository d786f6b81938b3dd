import { describe, expect, it } from "vitest";
import { cumulativeStepToDelta, cumulativeToDelta, type CumulativeSeriesState, type CumulativeValue } from "./cumulative-to-delta";

const counter = (value: number, isMonotonic = true): CumulativeValue => ({ kind: "number", value, isMonotonic });
const at = (timeUnixNano: bigint, value: CumulativeValue, startTimeUnixNano: bigint | null = 100n): CumulativeSeriesState => ({ startTimeUnixNano, timeUnixNano, value });

describe("cumulativeStepToDelta", () => {
  it.each([
    ["first point: no delta yet", undefined, at(200n, counter(10)), "first", null, null],
    ["10 → 15: delta 5 since the last point", at(200n, counter(10)), at(300n, counter(15)), "increase", counter(5), 200n],
    ["10 → 10: delta 0", at(200n, counter(10)), at(300n, counter(10)), "increase", counter(0), 200n],
    ["15 → 3 (counter restarted): delta 3", at(200n, counter(15)), at(300n, counter(3)), "reset", counter(3), 100n],
    ["start time moved: the new value is the delta", at(200n, counter(10)), at(300n, counter(12), 250n), "reset", counter(12), 250n],
    ["no start times, value drop: reset", at(200n, counter(10), null), at(300n, counter(4), null), "reset", counter(4), null],
    ["up-down counter 10 → 4: delta -6, not a reset", at(200n, counter(10, false)), at(300n, counter(4, false)), "increase", counter(-6, false), 200n],
    ["older point: stale, no delta", at(300n, counter(10)), at(200n, counter(8)), "stale", null, null],
    ["same time again: stale", at(300n, counter(10)), at(300n, counter(11)), "stale", null, null],
  ])("%s", (_case, prev, point, outcome, delta, deltaStart) => {
    const step = cumulativeStepToDelta(prev, point);
    expect(step.outcome).toBe(outcome);
    expect(step.delta).toEqual(delta);
    if (step.delta !== null) expect(step.deltaStartUnixNano).toBe(deltaStart);
    expect(step.next).toEqual(outcome === "stale" ? prev : point);
  });

  const hist = (count: number, bucketCounts: number[], sum: number | null = count * 10): CumulativeValue => ({
    kind: "histogram", count, sum, explicitBounds: [5, 10], bucketCounts,
  });

  it.each([
    ["histogram grows bucket-wise", hist(4, [1, 2, 1]), hist(7, [2, 3, 2]), "increase", hist(3, [1, 1, 1], 30)],
    ["one bucket shrinks: reset", hist(4, [1, 2, 1]), hist(5, [3, 1, 1]), "reset", hist(5, [3, 1, 1])],
    ["bounds changed: reset", hist(4, [1, 2, 1]), { ...hist(5, [1, 2, 2]), explicitBounds: [5, 20] }, "reset", { ...hist(5, [1, 2, 2]), explicitBounds: [5, 20] }],
    ["an unset sum stays unset", hist(4, [1, 2, 1], null), hist(6, [1, 3, 2]), "increase", hist(2, [0, 1, 1], null)],
  ])("%s", (_case, prev, point, outcome, delta) => {
    const step = cumulativeStepToDelta(at(200n, prev), at(300n, point));
    expect([step.outcome, step.delta]).toEqual([outcome, delta]);
  });

  it("exponential histograms subtract at the smaller scale", () => {
    const prev: CumulativeValue = { kind: "exponential_histogram", count: 3, sum: 6, scale: 1, zeroCount: 1, positive: { offset: 0, bucketCounts: [1, 1] }, negative: { offset: 0, bucketCounts: [] } };
    // At scale 0, scale-1 buckets 0 and 1 merge into bucket 0; the new point has 4 in bucket 0 and 1 in bucket 1.
    const point: CumulativeValue = { kind: "exponential_histogram", count: 7, sum: 20, scale: 0, zeroCount: 2, positive: { offset: 0, bucketCounts: [4, 1] }, negative: { offset: 0, bucketCounts: [] } };
    const step = cumulativeStepToDelta(at(200n, prev), at(300n, point));
    expect(step.delta).toEqual({ ...point, count: 4, sum: 14, zeroCount: 1, positive: { offset: 0, bucketCounts: [2, 1] } });
  });
});

describe("cumulativeToDelta (state map form)", () => {
  it("walks a series through first, increase and reset without touching the input map", () => {
    const empty = new Map<string, CumulativeSeriesState>();
    const first = cumulativeToDelta(empty, "requests|api", at(200n, counter(10)));
    const second = cumulativeToDelta(first.state, "requests|api", at(300n, counter(25)));
    const third = cumulativeToDelta(second.state, "requests|api", at(400n, counter(2)));
    expect([first.step.delta, second.step.delta, third.step.delta]).toEqual([null, counter(15), counter(2)]);
    expect(empty.size).toBe(0);
    expect(third.state.get("requests|api")?.value).toEqual(counter(2));
  });
});
