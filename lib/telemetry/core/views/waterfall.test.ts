import { describe, expect, it } from "vitest";
import { layoutWaterfall, MIN_BAR_WIDTH } from "./waterfall";

const s = (spanId: string, parentSpanId: string | null, startMs: number, durationMs: number) => ({ spanId, parentSpanId, startTimeUnixNano: String(1e18 + startMs * 1e6), durationNs: String(durationMs * 1e6) });

describe("waterfall layout", () => {
  it("orders spans as a tree, indents children and places bars as fractions of the trace", () => {
    const rows = layoutWaterfall([s("c2", "root", 60, 40), s("root", null, 0, 100), s("c1", "root", 10, 20), s("g1", "c1", 15, 5)]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.offset, r.width])).toEqual([
      ["root", 0, 0, 1],
      ["c1", 1, 0.1, 0.2],
      ["g1", 2, 0.15, 0.05],
      ["c2", 1, 0.6, 0.4],
    ]);
  });

  it("shows orphans as roots, keeps tiny spans visible, and survives a parent cycle", () => {
    const rows = layoutWaterfall([s("a", "b", 0, 1000), s("b", "a", 10, 0), s("o", "missing", 500, 0)]);
    expect(rows.map((r) => [r.span.spanId, r.depth])).toEqual([["o", 0], ["a", 0], ["b", 1]]);
    expect(rows.find((r) => r.span.spanId === "o")?.width).toBe(MIN_BAR_WIDTH);
  });
});
