import { describe, expect, it } from "vitest";
import { monthlyPartitions } from "./partitions";

describe("monthlyPartitions", () => {
  it("covers the month before, this month and the next, across a year boundary", () => {
    const parts = monthlyPartitions({ now: new Date("2026-12-15T10:00:00Z"), monthsBack: 1, monthsAhead: 1, table: "jobs" });
    expect(parts).toEqual([
      { name: "jobs_2026_11", fromIso: "2026-11-01T00:00:00.000Z", toIso: "2026-12-01T00:00:00.000Z" },
      { name: "jobs_2026_12", fromIso: "2026-12-01T00:00:00.000Z", toIso: "2027-01-01T00:00:00.000Z" },
      { name: "jobs_2027_01", fromIso: "2027-01-01T00:00:00.000Z", toIso: "2027-02-01T00:00:00.000Z" },
    ]);
  });

  it("leaves no gap between consecutive partitions", () => {
    const parts = monthlyPartitions({ now: new Date("2026-02-28T23:59:59Z"), monthsBack: 3, monthsAhead: 3, table: "jobs" });
    for (let i = 1; i < parts.length; i++) expect(parts[i]?.fromIso).toBe(parts[i - 1]?.toIso);
  });
});
