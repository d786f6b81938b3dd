import { describe, expect, it } from "vitest";
import { DomainError } from "../../../errors";
import { minuteRange } from "./time-range";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 30); // minute 29 919 600 + 30 s

describe("minute ranges", () => {
  it.each([
    [{}, { fromMinute: 29_919_540, toMinute: 29_919_601 }], // the last hour, widened to whole minutes
    [{ from: "2026-11-20T11:00:00Z", to: "2026-11-20T11:03:00Z" }, { fromMinute: 29_919_540, toMinute: 29_919_543 }],
    [{ from: String(Date.UTC(2026, 10, 20, 11, 0, 59)), to: "2026-11-20T11:01:01Z" }, { fromMinute: 29_919_540, toMinute: 29_919_542 }],
  ])("%j → %j", (query, range) => {
    expect(minuteRange(query, NOW)).toEqual(range);
  });

  it.each([[{ from: "yesterday" }], [{ from: "2026-11-20T12:00:00Z", to: "2026-11-20T11:00:00Z" }], [{ from: "2020-01-01T00:00:00Z" }]])("refuses %j", (query) => {
    expect(() => minuteRange(query, NOW)).toThrow(DomainError);
  });
});
