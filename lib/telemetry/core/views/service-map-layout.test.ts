import { describe, expect, it } from "vitest";
import { layoutServiceMap } from "./service-map-layout";
import { buildServiceMap, type FlowTotals, type MapLayout } from "./service-map";

const flow = (flow: FlowTotals["flow"], service: string, target: string): FlowTotals => ({ flow, service, target, count: 10, errorCount: 0, retryCount: 0, durationSumNs: 1e7, missCount: 0 });

// 50 nodes: 5 APIs each publishing to 2 of 10 queues, 20 workers each consuming one queue (two per queue) and
// calling 2 of 15 dependencies.
function fiftyNodeFlows(): FlowTotals[] {
  const flows: FlowTotals[] = [];
  for (let a = 0; a < 5; a++) flows.push(flow("publish", `api-${a}`, `queue-${2 * a}`), flow("publish", `api-${a}`, `queue-${2 * a + 1}`));
  for (let w = 0; w < 20; w++) {
    flows.push(flow("consume", `worker-${String(w).padStart(2, "0")}`, `queue-${Math.floor(w / 2)}`));
    flows.push(flow("call", `worker-${String(w).padStart(2, "0")}`, `db-${String(w % 15).padStart(2, "0")}`), flow("call", `worker-${String(w).padStart(2, "0")}`, `db-${String((w * 7 + 3) % 15).padStart(2, "0")}`));
  }
  return flows;
}

const overlaps = (a: MapLayout["nodes"][number], b: MapLayout["nodes"][number]) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("the service map layout", () => {
  it("reads left to right: API, queue, worker, database", async () => {
    const map = buildServiceMap({ flows: [flow("publish", "api", "jobs"), flow("consume", "worker", "jobs"), flow("call", "worker", "postgres")], services: [], seconds: 60 });
    const layout = await layoutServiceMap(map);
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    expect(x("service:api")).toBeLessThan(x("queue:jobs"));
    expect(x("queue:jobs")).toBeLessThan(x("service:worker"));
    expect(x("service:worker")).toBeLessThan(x("dependency:postgres"));
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it("lays out 50 nodes without overlaps, every edge routed, the same way every time", async () => {
    const map = buildServiceMap({ flows: fiftyNodeFlows(), services: [], seconds: 60 });
    expect(map.nodes).toHaveLength(50);
    const started = performance.now();
    const layout = await layoutServiceMap(map);
    const ms = performance.now() - started;
    expect(layout.nodes).toHaveLength(50);
    const clashes = layout.nodes.flatMap((a, i) => layout.nodes.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `${a.id} × ${b.id}`));
    expect(clashes).toEqual([]);
    for (const n of layout.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges.map((e) => e.id).sort()).toEqual(map.edges.map((e) => e.id).sort());
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    // Stable between refreshes: the same map gives the same picture.
    expect(await layoutServiceMap(map)).toEqual(layout);
    expect(ms).toBeLessThan(5_000);
  });

  it("lays out an empty map as nothing", async () => {
    expect(await layoutServiceMap({ nodes: [], edges: [] })).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
  });
});
