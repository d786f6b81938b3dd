// The service map: services, the queues they publish to and consume from, and the dependencies they call, built
// from flow rollup totals and service RED over a range, with open signals and SLO states laid on what they name.
import { z } from "zod";
import type { FlowKind, FlowRollup } from "../rollups/flow-rollup";

const nullableNumber = z.number().nullable();

export const MapSignalRef = z.object({ id: z.string(), kind: z.string(), severity: z.enum(["warning", "critical"]), summary: z.string() }).strict();
export type MapSignalRef = z.infer<typeof MapSignalRef>;

export const SloState = z.enum(["firing", "ok", "no data"]);
export const MapSloRef = z.object({ name: z.string(), state: SloState }).strict();
export type MapSloRef = z.infer<typeof MapSloRef>;

const NodeBase = { id: z.string(), name: z.string(), signals: z.array(MapSignalRef) };

export const MapNodeView = z.discriminatedUnion("kind", [
  z.object({ ...NodeBase, kind: z.literal("service"), requestRatePerS: nullableNumber, errorRatio: nullableNumber, p95Ms: nullableNumber, slos: z.array(MapSloRef) }).strict(),
  // Arrival is the publish rate and completion the consume rate; backlogChange is published minus consumed over the range.
  z.object({ ...NodeBase, kind: z.literal("queue"), arrivalRatePerS: z.number(), completionRatePerS: z.number(), backlogChange: z.number(), errorRatio: nullableNumber, meanMs: nullableNumber }).strict(),
  z.object({ ...NodeBase, kind: z.literal("dependency"), ratePerS: z.number(), errorRatio: nullableNumber, meanMs: nullableNumber, missRatio: nullableNumber }).strict(),
]);
export type MapNode = z.infer<typeof MapNodeView>;
export type MapNodeKind = MapNode["kind"];

export const MapEdgeView = z
  .object({
    id: z.string(), kind: z.enum(["publish", "consume", "call"]), from: z.string(), to: z.string(),
    ratePerS: z.number(), errorRatio: nullableNumber, meanMs: nullableNumber, retryRatio: nullableNumber, signals: z.array(MapSignalRef),
  })
  .strict();
export type MapEdge = z.infer<typeof MapEdgeView>;

export type ServiceMap = { nodes: MapNode[]; edges: MapEdge[] };

const Point = z.object({ x: z.number(), y: z.number() }).strict();

export const MapLayoutView = z
  .object({
    width: z.number(), height: z.number(),
    nodes: z.array(z.object({ id: z.string(), x: z.number(), y: z.number(), width: z.number(), height: z.number() }).strict()),
    edges: z.array(z.object({ id: z.string(), points: z.array(Point) }).strict()),
  })
  .strict();
export type MapLayout = z.infer<typeof MapLayoutView>;

/** The box each kind of node is drawn in: room for the name and two lines of figures. */
export const NODE_SIZE: Record<MapNodeKind, { width: number; height: number }> = {
  service: { width: 200, height: 76 },
  queue: { width: 200, height: 62 },
  dependency: { width: 180, height: 62 },
};

/** A flow rollup summed over the range (the bucket no longer matters). */
export type FlowTotals = Omit<FlowRollup, "bucket">;
export type MapServiceInput = { name: string; spanCount: number; requestRatePerS: number; errorRatio: number | null; p95Ms: number | null };
/** An open signal: `resource` is a queue, `caller->dependency`, or something inside the named services. */
export type MapSignalInput = MapSignalRef & { resource: string; services: readonly string[] };
export type MapSloInput = MapSloRef & { service: string };

export type ServiceMapInput = {
  flows: readonly FlowTotals[];
  services: readonly MapServiceInput[];
  /** The length of the range the totals cover. */
  seconds: number;
  signals?: readonly MapSignalInput[];
  slos?: readonly MapSloInput[];
};

export const nodeId = (kind: MapNodeKind, name: string) => `${kind}:${name}`;
const edgeId = (kind: MapEdge["kind"], from: string, to: string) => `${kind}:${from}->${to}`;
const KIND_ORDER: Record<MapNodeKind, number> = { service: 0, queue: 1, dependency: 2 };
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Sums = { count: number; errors: number; retries: number; durationSumNs: number; misses: number };
const emptySums = (): Sums => ({ count: 0, errors: 0, retries: 0, durationSumNs: 0, misses: 0 });
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const meanMs = (s: Sums) => (s.count > 0 ? s.durationSumNs / s.count / 1e6 : null);

function sumFlows(flows: readonly FlowTotals[]): Map<string, { flow: FlowKind; service: string; target: string; sums: Sums }> {
  const out = new Map<string, { flow: FlowKind; service: string; target: string; sums: Sums }>();
  for (const f of flows) {
    const key = `${f.flow}\u0000${f.service}\u0000${f.target}`;
    let e = out.get(key);
    if (e === undefined) out.set(key, (e = { flow: f.flow, service: f.service, target: f.target, sums: emptySums() }));
    e.sums.count += f.count;
    e.sums.errors += f.errorCount;
    e.sums.retries += f.retryCount;
    e.sums.durationSumNs += f.durationSumNs;
    e.sums.misses += f.missCount;
  }
  return out;
}

function add(into: Sums, s: Sums): void {
  into.count += s.count;
  into.errors += s.errors;
  into.retries += s.retries;
  into.durationSumNs += s.durationSumNs;
  into.misses += s.misses;
}

/** The whole map, nodes ordered by kind then name and edges by ID, so the same data always gives the same graph. */
export function buildServiceMap(input: ServiceMapInput): ServiceMap {
  const seconds = Math.max(1, input.seconds);
  const services = new Map(input.services.filter((s) => s.spanCount > 0).map((s) => [s.name, s]));
  const queues = new Map<string, { published: Sums; consumed: Sums }>();
  const dependencies = new Map<string, { calls: Sums; lookups: Sums }>();
  const edges: MapEdge[] = [];
  const serviceNames = new Set(services.keys());
  for (const { flow, service, target, sums } of sumFlows(input.flows).values()) {
    serviceNames.add(service);
    // Served requests are the service node's own rate (its RED), not an edge.
    if (flow === "serve") continue;
    if (flow === "lookup") {
      const d = dependencies.get(target) ?? { calls: emptySums(), lookups: emptySums() };
      add(d.lookups, sums);
      dependencies.set(target, d);
      continue;
    }
    if (flow === "call") {
      const d = dependencies.get(target) ?? { calls: emptySums(), lookups: emptySums() };
      add(d.calls, sums);
      dependencies.set(target, d);
    } else {
      const q = queues.get(target) ?? { published: emptySums(), consumed: emptySums() };
      add(flow === "publish" ? q.published : q.consumed, sums);
      queues.set(target, q);
    }
    const s = nodeId("service", service);
    const t = nodeId(flow === "call" ? "dependency" : "queue", target);
    const [from, to] = flow === "consume" ? [t, s] : [s, t];
    edges.push({
      id: edgeId(flow, from, to), kind: flow, from, to, ratePerS: sums.count / seconds, errorRatio: ratio(sums.errors, sums.count),
      meanMs: meanMs(sums), retryRatio: ratio(sums.retries, sums.count), signals: [],
    });
  }
  const nodes: MapNode[] = [
    ...[...serviceNames].map((name): MapNode => {
      const s = services.get(name);
      return { id: nodeId("service", name), kind: "service", name, requestRatePerS: s?.requestRatePerS ?? null, errorRatio: s?.errorRatio ?? null, p95Ms: s?.p95Ms ?? null, slos: [], signals: [] };
    }),
    ...[...queues].map(([name, q]): MapNode => ({
      id: nodeId("queue", name), kind: "queue", name, arrivalRatePerS: q.published.count / seconds, completionRatePerS: q.consumed.count / seconds,
      backlogChange: q.published.count - q.consumed.count, errorRatio: ratio(q.consumed.errors, q.consumed.count), meanMs: meanMs(q.consumed), signals: [],
    })),
    ...[...dependencies].map(([name, d]): MapNode => ({
      id: nodeId("dependency", name), kind: "dependency", name, ratePerS: d.calls.count / seconds, errorRatio: ratio(d.calls.errors, d.calls.count),
      meanMs: meanMs(d.calls), missRatio: ratio(d.lookups.misses, d.lookups.count), signals: [],
    })),
  ];
  nodes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || byText(a.name, b.name));
  edges.sort((a, b) => byText(a.id, b.id));
  overlay({ nodes, edges }, input.signals ?? [], input.slos ?? []);
  return { nodes, edges };
}

/** Where a signal shows: the queue it names, else the call edge `caller->dependency`, else the services it names. */
export function signalTargets(map: ServiceMap, signal: MapSignalInput): string[] {
  const queue = nodeId("queue", signal.resource);
  if (map.nodes.some((n) => n.id === queue)) return [queue];
  const arrow = signal.resource.indexOf("->");
  if (arrow > 0) {
    const call = edgeId("call", nodeId("service", signal.resource.slice(0, arrow)), nodeId("dependency", signal.resource.slice(arrow + 2)));
    if (map.edges.some((e) => e.id === call)) return [call];
  }
  return signal.services.map((s) => nodeId("service", s)).filter((id) => map.nodes.some((n) => n.id === id));
}

function overlay(map: ServiceMap, signals: readonly MapSignalInput[], slos: readonly MapSloInput[]): void {
  const byId = new Map<string, MapNode | MapEdge>([...map.nodes.map((n) => [n.id, n] as const), ...map.edges.map((e) => [e.id, e] as const)]);
  for (const signal of signals) {
    const ref: MapSignalRef = { id: signal.id, kind: signal.kind, severity: signal.severity, summary: signal.summary };
    for (const target of signalTargets(map, signal)) byId.get(target)?.signals.push(ref);
  }
  for (const slo of [...slos].sort((a, b) => byText(a.name, b.name))) {
    const node = byId.get(nodeId("service", slo.service));
    if (node?.kind === "service") node.slos.push({ name: slo.name, state: slo.state });
  }
}

/**
 * One service's neighbourhood: the service, what it publishes to, consumes from and calls, and across each of
 * those queues the services on the other side (its queues' consumers and publishers), with the edges among them.
 */
export function neighbourhood(map: ServiceMap, service: string): ServiceMap {
  const centre = nodeId("service", service);
  if (!map.nodes.some((n) => n.id === centre)) return { nodes: [], edges: [] };
  const keep = new Set([centre]);
  const touching = (id: string) => map.edges.filter((e) => e.from === id || e.to === id);
  for (const e of touching(centre)) {
    const other = e.from === centre ? e.to : e.from;
    keep.add(other);
    if (e.kind === "call") continue;
    for (const across of touching(other)) keep.add(across.from === other ? across.to : across.from);
  }
  return { nodes: map.nodes.filter((n) => keep.has(n.id)), edges: map.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}
