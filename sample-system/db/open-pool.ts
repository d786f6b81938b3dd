// Opens a measured connection pool for one component: PostgreSQL when a URL is configured, else a
// PGlite instance shared by the process; its usage, wait time and timeouts become metrics.
import type { Driver } from "./drivers";
import { openPgliteDriver, openPostgresDriver } from "./drivers";
import { BoundedPool } from "./pool";
import { ATTR } from "../telemetry/attributes";
import type { DualMeter } from "../telemetry/dual-meter";
import { METRICS } from "../telemetry/instruments";

export type DriverSource = { databaseUrl?: string; pgliteDataDir: string };

// PGlite is single-process: every pool in this process shares one instance (closed with the last pool).
const pglites = new Map<string, { driver: Promise<Driver>; users: number }>();

async function driverFor(source: DriverSource, max: number): Promise<Driver> {
  if (source.databaseUrl) return openPostgresDriver(source.databaseUrl, max);
  let shared = pglites.get(source.pgliteDataDir);
  if (!shared) pglites.set(source.pgliteDataDir, (shared = { driver: openPgliteDriver(source.pgliteDataDir), users: 0 }));
  shared.users++;
  const entry = shared;
  const driver = await entry.driver;
  return {
    kind: driver.kind,
    connect: () => driver.connect(),
    async close() {
      if (--entry.users === 0) {
        pglites.delete(source.pgliteDataDir);
        await driver.close();
      }
    },
  };
}

export async function openMeasuredPool(options: { name: string; source: DriverSource; max: number; acquireTimeoutMs: number; meter: DualMeter }): Promise<{ pool: BoundedPool; stopObserving(): void }> {
  const { name, meter } = options;
  const labels = { [ATTR.dbPoolName]: name };
  const wait = meter.histogram(METRICS.poolWait);
  const timeouts = meter.counter(METRICS.poolTimeouts);
  const driver = await driverFor(options.source, options.max);
  const pool = new BoundedPool(name, driver, options.max, options.acquireTimeoutMs, (s) => wait.record(s, labels), () => timeouts.add(1, labels));
  const stops = [
    meter.gauge(METRICS.poolUsage, () => {
      const s = pool.stats();
      return [
        { value: s.used, attributes: { ...labels, [ATTR.dbPoolState]: "used" } },
        { value: s.idle, attributes: { ...labels, [ATTR.dbPoolState]: "idle" } },
      ];
    }),
    meter.gauge(METRICS.poolMax, () => [{ value: pool.max, attributes: labels }]),
    meter.gauge(METRICS.poolPending, () => [{ value: pool.stats().pending, attributes: labels }]),
  ];
  return { pool, stopObserving: () => stops.forEach((s) => s()) };
}
