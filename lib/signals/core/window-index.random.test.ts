// The window index's row lookups proven against plain scans of every row on random snapshots: the same rows in
// the same order, and sums equal to the last bit (the figures are fractional, so an order change would show).
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../random/seeded";
import type { FlowKind, FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import type { MetricMinute } from "./system-snapshot";
import { indexWindows } from "./window-index";

const END = 1_800_000_030;
const FLOW_KINDS: FlowKind[] = ["publish", "consume", "serve", "call", "lookup"];
const SERVICES = ["api", "worker", "billing", "cache-a", "mailer"];
const TARGETS = ["jobs", "emails", "redis", "POST /v1", ""];
const METRIC_NAMES = ["sample.queue.depth", "worker.utilization", "db.client.connection.count", "cache.requests", "other"];

/** The scans the lookups replace. */
const scan = {
  bucketSum: (flows: readonly FlowRollup[], fromUnix: number, toUnix: number, match: (f: FlowRollup) => boolean, pick: (f: FlowRollup) => number) =>
    flows.reduce((n, f) => (f.bucket >= fromUnix && f.bucket < toUnix && match(f) ? n + pick(f) : n), 0),
  flowsOfService: (flows: readonly FlowRollup[], service: string) => flows.filter((f) => f.service === service),
  firstFlowBucket: (flows: readonly FlowRollup[]) => flows.reduce((m, f) => Math.min(m, f.bucket), Infinity),
  metricMinutes: (metrics: readonly MetricMinute[], names: readonly string[], services?: readonly string[]) =>
    metrics.filter((m) => names.includes(m.name) && (services === undefined || services.includes(m.service))),
};

function randomSnapshot(seed: number): { flows: FlowRollup[]; metrics: MetricMinute[] } {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pickOne = <T,>(xs: readonly T[]): T => {
    const x = xs[int(xs.length)];
    if (x === undefined) throw new Error("nothing to pick from");
    return x;
  };
  const figure = () => (random() < 0.2 ? 0 : random() * 1e6);
  // Buckets on and off the 10-s grid, before the history, inside it and after the end, in no particular order.
  const bucket = () => END - 10 * int(240) + (random() < 0.1 ? int(10) : 0) + (random() < 0.05 ? 600 : 0);
  const flows = Array.from({ length: int(400) }, (): FlowRollup => ({
    bucket: bucket(), flow: pickOne(FLOW_KINDS), service: pickOne(SERVICES), target: pickOne(TARGETS),
    count: figure(), errorCount: figure(), retryCount: figure(), durationSumNs: figure(), missCount: figure(),
  }));
  // Sometimes in bucket order, as the reader returns them; the lookups must keep either order.
  if (random() < 0.5) flows.sort((a, b) => a.bucket - b.bucket);
  const metrics = Array.from({ length: int(300) }, (): MetricMinute => ({
    name: pickOne(METRIC_NAMES), service: pickOne(SERVICES), attributes: { "messaging.destination.name": pickOne(TARGETS) },
    minuteUnix: END - 60 * int(40) - 30, value: figure(), last: random() < 0.5 ? null : figure(),
  }));
  return { flows, metrics };
}

const subsets = <T,>(xs: readonly T[], random: () => number): T[] => xs.filter(() => random() < 0.4);
const sameRows = <T,>(got: readonly T[], want: readonly T[]) => got.length === want.length && got.every((row, i) => row === want[i]);

describe("window index lookups equal scans of every row", () => {
  it.each(Array.from({ length: 200 }, (_, seed) => ({ seed })))("random snapshot $seed", ({ seed }) => {
    const { flows, metrics } = randomSnapshot(seed);
    const index = indexWindows({ endUnix: END, flows, metrics });
    const random = seededRandom(seed + 10_000);
    const matches: ((f: FlowRollup) => boolean)[] = [() => true, (f) => f.flow === "consume", (f) => f.service === "api" && f.target === "jobs", (f) => f.count > 5e5];
    const picks: ((f: FlowRollup) => number)[] = [(f) => f.count, (f) => f.durationSumNs, (f) => f.count - f.retryCount];
    for (let q = 0; q < 20; q++) {
      const fromUnix = END - 10 * Math.floor(random() * 250) + (random() < 0.2 ? 3 : 0);
      const toUnix = fromUnix + 10 * Math.floor(random() * 8);
      for (const match of matches) for (const pick of picks) {
        expect(index.bucketSum(fromUnix, toUnix, match, pick)).toBe(scan.bucketSum(flows, fromUnix, toUnix, match, pick));
      }
    }
    expect(index.bucketSum(-Infinity, Infinity, () => true, (f) => f.count)).toBe(scan.bucketSum(flows, -Infinity, Infinity, () => true, (f) => f.count));
    expect(index.firstFlowBucket()).toBe(scan.firstFlowBucket(flows));
    for (const service of [...SERVICES, "nobody"]) expect(sameRows(index.flowsOfService(service), scan.flowsOfService(flows, service))).toBe(true);
    for (let q = 0; q < 20; q++) {
      // Names and services may repeat or be unknown, as configured metric names can.
      const names = [...subsets(METRIC_NAMES, random), ...(random() < 0.3 ? ["missing", METRIC_NAMES[0] ?? ""] : [])];
      const services = random() < 0.3 ? undefined : [...subsets(SERVICES, random), ...(random() < 0.3 ? ["api", "nobody"] : [])];
      expect(sameRows(index.metricMinutes(names, services), scan.metricMinutes(metrics, names, services))).toBe(true);
    }
  });
});
