// Lays out the service map left to right with ELK's layered algorithm, so the flow reads API → queue → workers →
// dependencies. The bundled build runs ELK in the calling thread (no web worker) and is pure computation. Only the
// server imports this file: the layout's zod view lives in service-map.ts, so the API client never bundles ELK.
import ELK, { type ElkExtendedEdge, type ElkNode } from "elkjs/lib/elk.bundled.js";
import { type MapLayout, NODE_SIZE, type ServiceMap } from "./service-map";

const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  // Keep the input order (kind, then name) wherever crossing minimisation allows: the same map lays out the same way.
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.randomSeed": "1",
  "elk.spacing.nodeNode": "28",
  "elk.layered.spacing.nodeNodeBetweenLayers": "72",
  "elk.layered.spacing.edgeNodeBetweenLayers": "20",
  "elk.padding": "[top=16,left=16,bottom=16,right=16]",
};

const elk = new ELK();

/** Positions for every node and a polyline for every edge; the map's own order fixes the result. */
export async function layoutServiceMap(map: ServiceMap): Promise<MapLayout> {
  if (map.nodes.length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
  const graph: ElkNode = {
    id: "map",
    layoutOptions: LAYOUT_OPTIONS,
    children: map.nodes.map((n) => ({
      id: n.id, ...NODE_SIZE[n.kind],
      // Dependencies only receive calls; in the last layer they line up on the right like the database in a diagram.
      ...(n.kind === "dependency" ? { layoutOptions: { "elk.layered.layering.layerConstraint": "LAST" } } : {}),
    })),
    edges: map.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  const laid = await elk.layout(graph);
  return {
    width: laid.width ?? 0,
    height: laid.height ?? 0,
    nodes: (laid.children ?? []).map((n) => ({ id: n.id, x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 })),
    edges: ((laid.edges ?? []) as ElkExtendedEdge[]).map((e) => ({
      id: e.id,
      points: (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map((p) => ({ x: p.x, y: p.y })),
    })),
  };
}
