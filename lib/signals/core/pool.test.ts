import { describe, expect, it } from "vitest";
import { detectPoolSaturation } from "./pool";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { NamedSeries } from "./types";

const T0 = 1_795_176_000;
const NOW = new Date((T0 + 10 * 60) * 1000); // minutes T0 … T0+9 have ended
const series = (name: string, values: (number | null)[]): NamedSeries => ({ name, points: values.map((value, i) => ({ minuteUnix: T0 + i * 60, value })) });
const detect = (o: { wait: (number | null)[]; timeouts?: (number | null)[]; pending?: (number | null)[]; used?: (number | null)[] }) =>
  detectPoolSaturation({
    resource: "db pool api/main",
    waitMs: series("wait", o.wait),
    timeouts: o.timeouts ? series("timeouts", o.timeouts) : undefined,
    pending: o.pending ? series("pending", o.pending) : undefined,
    usedRatio: o.used ? series("used", o.used) : undefined,
    now: NOW,
    thresholds: DEFAULT_THRESHOLDS.saturation,
  });

describe("detectPoolSaturation", () => {
  it.each([
    { note: "healthy, noisy waits of a few ms", o: { wait: [2, 5, 1, 8, 3, 4, 2, 6, 3, 5] }, want: null },
    { note: "a full pool whose callers do not wait", o: { wait: [2, 2, 2, 2, 2, 2, 2, 3, 2, 2], used: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], pending: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }, want: null },
    { note: "a one-minute wait spike that already recovered", o: { wait: [2, 2, 2, 2, 2, 2, 2, 900, 3, 2] }, want: null },
    { note: "missing data", o: { wait: [null, null, null, null, null, null, null, null, null, 900] }, want: null },
    { note: "callers wait for connections", o: { wait: [2, 2, 2, 2, 2, 2, 2, 400, 650, 900], used: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1], pending: [0, 0, 0, 0, 0, 0, 0, 4, 9, 12] }, want: { severity: "warning", reasonCodes: ["pool_wait_high", "pool_exhausted"] } },
    { note: "acquisitions time out", o: { wait: [2, 2, 2, 2, 2, 2, 2, 2, 800, 1000], timeouts: [0, 0, 0, 0, 0, 0, 0, 0, 6, 12] }, want: { severity: "critical", reasonCodes: ["pool_wait_high", "pool_timeouts"] } },
  ])("$note", ({ o, want }) => {
    const got = detect(o);
    if (want === null) expect(got).toBeNull();
    else {
      expect(got).toMatchObject({ kind: "saturation", resource: "db pool api/main", ...want });
      expect(got?.summary).toMatch(/db pool api\/main is saturated: callers wait \d+ ms/);
    }
  });
});
