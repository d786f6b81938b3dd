import { describe, expect, it } from "vitest";
import { windowBounds } from "./budget";
import { burndownInstants } from "./burndown";

const iso = (ms: number) => new Date(ms).toISOString();

describe("burndownInstants", () => {
  it.each([
    {
      // 7 d = 10,080 minutes. Now 12:29:30 → the window is the minutes 11-13 12:30 … 11-20 12:29, ending at 12:30.
      // First step 12:30 → 13:00 is 30 minutes: 1 − 30/10,080. Points: the start, the 168 hour boundaries
      // 11-13 13:00 … 11-20 12:00, the end: 170. The last boundary 12:00 is 30 minutes before the end: 30/10,080.
      note: "rolling 7 d, now mid-hour: partial first and last hours",
      window: { type: "rolling", durationDays: 7 } as const,
      now: "2026-11-20T12:29:30Z",
      count: 170,
      first: ["2026-11-13T12:30:00.000Z", 1],
      second: ["2026-11-13T13:00:00.000Z", 1 - 30 / 10_080],
      beforeLast: ["2026-11-20T12:00:00.000Z", 30 / 10_080],
      last: ["2026-11-20T12:30:00.000Z", 0],
    },
    {
      // Now 12:59:10 → window 11-13 13:00 … 11-20 13:00, starting on an hour: 168 whole hours, 169 points.
      note: "rolling 7 d, window starting on an hour boundary",
      window: { type: "rolling", durationDays: 7 } as const,
      now: "2026-11-20T12:59:10Z",
      count: 169,
      first: ["2026-11-13T13:00:00.000Z", 1],
      second: ["2026-11-13T14:00:00.000Z", 1 - 60 / 10_080],
      beforeLast: ["2026-11-20T12:00:00.000Z", 60 / 10_080],
      last: ["2026-11-20T13:00:00.000Z", 0],
    },
    {
      // November has 30 days = 43,200 minutes. Now 11-03 06:14:10: elapsed window ends 06:15, 2 × 1,440 + 375 =
      // 3,255 minutes in. Boundaries 11-01 01:00 … 11-03 06:00: 23 + 24 + 7 = 54; with start and end 56 points.
      note: "calendar month: starts at 1, ends where the month has got to",
      window: { type: "calendarMonth", timeZone: "UTC" } as const,
      now: "2026-11-03T06:14:10Z",
      count: 56,
      first: ["2026-11-01T00:00:00.000Z", 1],
      second: ["2026-11-01T01:00:00.000Z", 1 - 60 / 43_200],
      beforeLast: ["2026-11-03T06:00:00.000Z", 1 - 3_240 / 43_200],
      last: ["2026-11-03T06:15:00.000Z", 1 - 3_255 / 43_200],
    },
  ])("$note", ({ window, now, count, first, second, beforeLast, last }) => {
    const points = burndownInstants(windowBounds(window, new Date(now)));
    expect(points).toHaveLength(count);
    const at = (i: number) => [iso(points.at(i)!.atMs), points.at(i)!.idealRemainingRatio];
    expect(at(0)).toEqual(first);
    expect(at(1)[0]).toBe(second[0]);
    expect(at(1)[1]).toBeCloseTo(second[1] as number, 12);
    expect(at(-2)[0]).toBe(beforeLast[0]);
    expect(at(-2)[1]).toBeCloseTo(beforeLast[1] as number, 12);
    expect(at(-1)).toEqual(last);
  });

  it("gives every point but the last the hour whose events it stands for, and the line is straight between them", () => {
    const points = burndownInstants(windowBounds({ type: "rolling", durationDays: 7 }, new Date("2026-11-20T12:29:30Z")));
    expect(points[0]!.hour).toBe(Math.floor(Date.parse("2026-11-13T12:00:00Z") / 3_600_000));
    expect(points.at(-1)!.hour).toBeNull();
    for (const p of points) expect(p.idealRemainingRatio).toBeCloseTo(1 - (p.atMs - points[0]!.atMs) / (10_080 * 60_000), 12);
  });
});
