import { describe, expect, it } from "vitest";
import { isProducerSpan, jobTimings, mergeConsumerTimings, mergeProducerTimings, queueWaits, MAX_TIMING_SPANS, type ConsumerTiming, type ProducerTiming } from "./job-timings";

const c = (spanId: string, start: number, end: number, parentSpanId: string | null = null, linkedSpanIds: string[] = []): ConsumerTiming => ({
  spanId, startUnixNano: BigInt(start), endUnixNano: BigInt(end), parentSpanId, linkedSpanIds,
});
const p = (spanId: string, end: number): ProducerTiming => ({ spanId, endUnixNano: BigInt(end) });

describe("jobTimings", () => {
  it.each<[string, ConsumerTiming[], ProducerTiming[], number | null, number | null]>([
    ["nothing seen", [], [], null, null],
    ["a publish without a consumer yet", [], [p("p1", 10)], null, null],
    ["one attempt, consumer child of its publish", [c("c1", 100, 400, "p1")], [p("p1", 30)], 70, 300],
    ["a consumer whose producer has not arrived", [c("c1", 100, 400, "p1")], [], null, 300],
    ["paired by a link when the parent is elsewhere", [c("c1", 100, 400, "x", ["p1"])], [p("p1", 60)], 40, 300],
    ["paired beats a later unrelated publish", [c("c1", 100, 400, "p1")], [p("p1", 20), p("p2", 90)], 80, 300],
    ["retry republished: each attempt waits for its own publish", [c("c1", 100, 200, "p1"), c("c2", 900, 950, "p2")], [p("p1", 50), p("p2", 300)], 50 + 600, 100 + 50],
    ["redelivered without a new publish: waits from the failed attempt's end", [c("c1", 100, 200), c("c2", 260, 300)], [p("p1", 50)], 50 + 60, 100 + 40],
    ["a process span nested in a receive span counts once", [c("r1", 100, 500, "p1"), c("c1", 110, 490, "r1")], [p("p1", 40)], 60, 400],
    ["clock skew (publish ends after the consumer starts) waits 0", [c("c1", 100, 200, "p1")], [p("p1", 120)], 0, 100],
    ["a consumer before any publish has no wait", [c("c1", 100, 200)], [p("p1", 500)], null, 100],
  ])("%s", (_case, consumers, producers, queueNs, workerNs) => {
    expect(jobTimings(consumers, producers)).toEqual({ queueNs: queueNs === null ? null : BigInt(queueNs), workerNs: workerNs === null ? null : BigInt(workerNs) });
  });

  it("says where each wait started and whether it was paired", () => {
    expect(queueWaits([c("c1", 100, 200, "p1"), c("c2", 260, 300)], [p("p1", 50)])).toEqual([
      { consumerSpanId: "c1", readyUnixNano: 50n, startUnixNano: 100n, waitNs: 50n, fromSpanId: "p1", paired: true },
      { consumerSpanId: "c2", readyUnixNano: 200n, startUnixNano: 260n, waitNs: 60n, fromSpanId: "c1", paired: false },
    ]);
  });
});

describe("merging timing sets", () => {
  it.each<[string, ConsumerTiming[], ConsumerTiming[], ConsumerTiming[]]>([
    ["union by span ID, sorted", [c("b", 1, 2)], [c("a", 3, 4)], [c("a", 3, 4), c("b", 1, 2)]],
    ["the same span twice is one entry", [c("a", 1, 2, "p", ["l1"])], [c("a", 1, 2, "p", ["l1"])], [c("a", 1, 2, "p", ["l1"])]],
    ["conflicting facts keep the larger of each, links unite", [c("a", 1, 5, null, ["x"])], [c("a", 2, 4, "p", ["w"])], [c("a", 2, 5, "p", ["w", "x"])]],
  ])("%s", (_case, a, b, merged) => {
    expect(mergeConsumerTimings(a, b)).toEqual(merged);
    expect(mergeConsumerTimings(b, a)).toEqual(merged);
    expect(mergeConsumerTimings(merged, b)).toEqual(merged);
  });

  it("producers keep the later end of one span ID and the smallest IDs past the cap", () => {
    expect(mergeProducerTimings([p("a", 5)], [p("a", 7), p("b", 1)])).toEqual([p("a", 7), p("b", 1)]);
    const many = Array.from({ length: MAX_TIMING_SPANS + 5 }, (_, i) => p(`s${String(i).padStart(3, "0")}`, i));
    const kept = mergeProducerTimings(many.slice(30), many.slice(0, 30));
    expect(kept).toHaveLength(MAX_TIMING_SPANS);
    expect(kept.at(-1)?.spanId).toBe(`s${String(MAX_TIMING_SPANS - 1).padStart(3, "0")}`);
  });

  it.each([
    [{ kind: "PRODUCER", messagingOperation: null }, true],
    [{ kind: "INTERNAL", messagingOperation: "send" }, true],
    [{ kind: "CLIENT", messagingOperation: "publish" }, true],
    [{ kind: "CONSUMER", messagingOperation: null }, false],
    [{ kind: "SERVER", messagingOperation: null }, false],
  ])("isProducerSpan(%o) = %s", (span, expected) => {
    expect(isProducerSpan(span)).toBe(expected);
  });
});
