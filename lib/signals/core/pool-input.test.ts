import { describe, expect, it } from "vitest";
import { poolInputs } from "./pool-input";
import type { MetricMinute } from "./system-snapshot";
import { ThresholdConfigSchema } from "./thresholds";
import { indexWindows } from "./window-index";

const MINUTE = 1_800_000_000;
const END = MINUTE + 30; // window 0 takes the calendar minute MINUTE
const thresholds = ThresholdConfigSchema.parse({});
const pool = (name: string, value: number, o: Partial<MetricMinute> = {}): MetricMinute => ({
  name, service: "api", attributes: { "db.client.connection.pool.name": "main" }, minuteUnix: MINUTE, value, last: null, ...o,
});
const newest = (s: { points: { value: number | null }[] } | undefined) => s?.points.at(-1)?.value;

describe("poolInputs", () => {
  it("reads one pool's wait (seconds → ms), pending, timeouts and share of connections in use", () => {
    const metrics = [
      pool("db.client.connection.wait_time", 0.2),
      pool("db.client.connection.wait_time", 0.4), // a second series of the same pool: the mean
      pool("db.client.connection.pending_requests", 3),
      pool("db.client.connection.timeouts", 2),
      pool("db.client.connection.timeouts", 1),
      pool("db.client.connection.count", 6, { attributes: { "db.client.connection.pool.name": "main", "db.client.connection.state": "used" }, last: 8 }),
      pool("db.client.connection.count", 2, { attributes: { "db.client.connection.pool.name": "main", "db.client.connection.state": "idle" }, last: 2 }),
      pool("db.client.connection.max", 10, { last: 10 }),
    ];
    const [built, ...more] = poolInputs(indexWindows({ endUnix: END, flows: [], metrics }), { thresholds });
    expect(more).toEqual([]);
    expect(built?.services).toEqual(["api"]);
    expect(built?.input.resource).toBe("db pool api/main");
    expect(newest(built?.input.waitMs)).toBeCloseTo(300);
    expect(newest(built?.input.pending)).toBe(3);
    expect(newest(built?.input.timeouts)).toBe(3); // a counter's increase: summed
    expect(newest(built?.input.usedRatio)).toBe(0.8); // 8 used (last value) of 10
    expect(built?.input.now).toEqual(new Date(MINUTE * 1000));
    expect(built?.charts.map((c) => c.name)).toEqual(["db pool api/main wait ms", "db pool api/main pending", "db pool api/main timeouts/min", "db pool api/main used ratio"]);
  });

  it("names a pool without a pool-name attribute \"default\", orders pools by service/pool, and ignores pools reporting only usage", () => {
    const metrics = [
      pool("db.client.connection.wait_time", 0.1, { service: "worker", attributes: {} }),
      pool("db.client.connection.timeouts", 1, { attributes: { "pool.name": "reports" } }),
      pool("db.client.connection.count", 4, { service: "batch", attributes: { "db.client.connection.state": "used" } }),
    ];
    const built = poolInputs(indexWindows({ endUnix: END, flows: [], metrics }), { thresholds });
    expect(built.map((b) => b.input.resource)).toEqual(["db pool api/reports", "db pool worker/default"]);
  });
});
