import { describe, expect, it } from "vitest";
import { buildServiceMap, type FlowTotals, type MapServiceInput, neighbourhood, nodeId } from "./service-map";

const flow = (f: Partial<FlowTotals> & Pick<FlowTotals, "flow" | "service" | "target">): FlowTotals => ({ count: 0, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, ...f });
const svc = (name: string, over: Partial<MapServiceInput> = {}): MapServiceInput => ({ name, spanCount: 1, requestRatePerS: 0, errorRatio: null, p95Ms: null, ...over });

// Over 100 s: the API publishes 200 jobs (two rollups of 100), the worker consumes 150 of them (15 failed, 30
// retries, 3 s of processing in all), calls postgres 300 times (6 failed, 0.6 s in all) and the cache 50 times (10 missed).
const FLOWS: FlowTotals[] = [
  flow({ flow: "publish", service: "api", target: "jobs", count: 100, durationSumNs: 1e8 }),
  flow({ flow: "publish", service: "api", target: "jobs", count: 100, durationSumNs: 1e8 }),
  flow({ flow: "consume", service: "worker", target: "jobs", count: 150, errorCount: 15, retryCount: 30, durationSumNs: 3e9 }),
  flow({ flow: "call", service: "worker", target: "postgres", count: 300, errorCount: 6, durationSumNs: 6e8 }),
  flow({ flow: "call", service: "worker", target: "redis", count: 50, durationSumNs: 5e7 }),
  flow({ flow: "lookup", service: "worker", target: "redis", count: 50, missCount: 10, durationSumNs: 5e7 }),
];
const SERVICES = [svc("api", { requestRatePerS: 2, errorRatio: 0.01, p95Ms: 40 }), svc("worker", { requestRatePerS: 1.5, errorRatio: 0.1, p95Ms: 35 }), svc("idle", { spanCount: 0 })];

describe("the service map", () => {
  const map = buildServiceMap({ flows: FLOWS, services: SERVICES, seconds: 100 });

  it("has services, then queues, then dependencies, each ordered by name; services without spans in the range are left out", () => {
    expect(map.nodes.map((n) => n.id)).toEqual(["service:api", "service:worker", "queue:jobs", "dependency:postgres", "dependency:redis"]);
  });

  it("gives services their RED, queues arrival against completion, dependencies rate, errors, mean latency and misses", () => {
    expect(map.nodes[0]).toMatchObject({ kind: "service", requestRatePerS: 2, errorRatio: 0.01, p95Ms: 40 });
    // 200 published and 150 consumed in 100 s; 15 of 150 failed; 3 s / 150 = 20 ms each.
    expect(map.nodes[2]).toEqual({ id: "queue:jobs", kind: "queue", name: "jobs", arrivalRatePerS: 2, completionRatePerS: 1.5, backlogChange: 50, errorRatio: 0.1, meanMs: 20, signals: [] });
    // 300 calls in 100 s, 6 failed, 0.6 s / 300 = 2 ms; no lookups, so no miss ratio (not a fabricated 0).
    expect(map.nodes[3]).toMatchObject({ ratePerS: 3, errorRatio: 0.02, meanMs: 2, missRatio: null });
    // 10 of 50 lookups missed; the lookups are not counted again as calls.
    expect(map.nodes[4]).toMatchObject({ ratePerS: 0.5, meanMs: 1, missRatio: 0.2 });
  });

  it("draws publish edges into queues, consume edges out of them and calls to dependencies", () => {
    expect(map.edges.map((e) => [e.id, e.from, e.to, e.ratePerS])).toEqual([
      ["call:service:worker->dependency:postgres", "service:worker", "dependency:postgres", 3],
      ["call:service:worker->dependency:redis", "service:worker", "dependency:redis", 0.5],
      ["consume:queue:jobs->service:worker", "queue:jobs", "service:worker", 1.5],
      ["publish:service:api->queue:jobs", "service:api", "queue:jobs", 2],
    ]);
    // 30 of 150 consumes were retries; no publish failed.
    expect(map.edges[2]).toMatchObject({ errorRatio: 0.1, meanMs: 20, retryRatio: 0.2 });
    expect(map.edges[3]).toMatchObject({ errorRatio: 0, meanMs: 1 });
  });

  it("shows a node that only appears in flows, with unknown RED", () => {
    const m = buildServiceMap({ flows: [flow({ flow: "publish", service: "cron", target: "jobs", count: 1 })], services: [], seconds: 10 });
    expect(m.nodes[0]).toMatchObject({ id: "service:cron", requestRatePerS: null, errorRatio: null });
  });

  it.each([
    ["a queue", { resource: "jobs", services: ["worker"] }, "queue:jobs"],
    ["a caller → dependency pair", { resource: "worker->postgres", services: ["worker"] }, "call:service:worker->dependency:postgres"],
    ["something inside a service", { resource: "db pool worker/main", services: ["worker"] }, "service:worker"],
  ])("puts a signal on %s", (_, where, target) => {
    const signal = { id: "7", kind: "saturation", severity: "critical" as const, summary: "s", ...where };
    const m = buildServiceMap({ flows: FLOWS, services: SERVICES, seconds: 100, signals: [signal] });
    const marked = [...m.nodes, ...m.edges].filter((x) => x.signals.length > 0).map((x) => x.id);
    expect(marked).toEqual([target]);
  });

  it("badges services with the state of their SLOs, by SLO name", () => {
    const m = buildServiceMap({ flows: FLOWS, services: SERVICES, seconds: 100, slos: [{ name: "b", service: "api", state: "firing" }, { name: "a", service: "api", state: "ok" }, { name: "c", service: "gone", state: "ok" }] });
    expect(m.nodes[0]).toMatchObject({ slos: [{ name: "a", state: "ok" }, { name: "b", state: "firing" }] });
  });
});

describe("a service's neighbourhood", () => {
  // api → jobs → worker → postgres; worker → mail → mailer → smtp; billing → invoices → ledger (unrelated).
  const map = buildServiceMap({
    flows: [
      ...FLOWS,
      flow({ flow: "publish", service: "worker", target: "mail", count: 1 }), flow({ flow: "consume", service: "mailer", target: "mail", count: 1 }),
      flow({ flow: "call", service: "mailer", target: "smtp", count: 1 }),
      flow({ flow: "publish", service: "billing", target: "invoices", count: 1 }), flow({ flow: "consume", service: "ledger", target: "invoices", count: 1 }),
    ],
    services: SERVICES, seconds: 100,
  });
  const ids = (m: { nodes: { id: string }[] }) => m.nodes.map((n) => n.id);

  it("follows the service's queues through to their consumers, but not their consumers' own calls", () => {
    expect(ids(neighbourhood(map, "api"))).toEqual(["service:api", "service:worker", "queue:jobs"]);
    expect(neighbourhood(map, "api").edges.map((e) => e.id)).toEqual(["consume:queue:jobs->service:worker", "publish:service:api->queue:jobs"]);
  });

  it("for a worker, reaches back to its publishers and on to its dependencies and downstream queues", () => {
    expect(ids(neighbourhood(map, "worker"))).toEqual(["service:api", "service:mailer", "service:worker", "queue:jobs", "queue:mail", "dependency:postgres", "dependency:redis"]);
  });

  it("is empty for a service not on the map", () => {
    expect(neighbourhood(map, "nope")).toEqual({ nodes: [], edges: [] });
    expect(nodeId("service", "x")).toBe("service:x");
  });
});
