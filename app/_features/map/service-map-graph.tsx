"use client";
// The laid-out service map as SVG. SVG rather than @xyflow/react: ELK has already placed every node and routed every
// edge on the server, so the page only draws a static picture, and plain SVG needs no new dependency.
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import type { MapEdge, MapNode, ServiceMapView } from "@/lib/telemetry/browser";
import { edgeLabelAt, edgeTitle, KIND_FILL, nodeLines, shortName, SIGNAL_COLOUR, SLO_COLOUR, worstSeverity } from "./map-format";
import { rateLabel } from "../services/format";

/** Where a click on a node or edge goes: its worst open signal, else a service's own page. */
function targetOf(item: MapNode | MapEdge): string | null {
  const signal = [...item.signals].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1))[0];
  if (signal) return `/signals/${encodeURIComponent(signal.id)}`;
  return "kind" in item && item.kind === "service" ? `/services/${encodeURIComponent(item.name)}` : null;
}

function Linked({ href, label, children }: { href: string | null; label: string; children: React.ReactNode }) {
  const router = useRouter();
  if (href === null) return <g>{children}</g>;
  const go = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    router.push(href);
  };
  return <a href={href} aria-label={label} onClick={go} style={{ cursor: "pointer" }}>{children}</a>;
}

function Node({ node, box }: { node: MapNode; box: { x: number; y: number; width: number; height: number } }) {
  const severity = worstSeverity(node.signals);
  const stroke = severity ? SIGNAL_COLOUR[severity] : "#adb5bd";
  const lines = nodeLines(node);
  const signalNote = node.signals.length ? ` · ${node.signals.length} open signal${node.signals.length > 1 ? "s" : ""}: ${node.signals.map((s) => s.summary).join("; ")}` : "";
  return (
    <Linked href={targetOf(node)} label={`${node.kind} ${node.name}${signalNote}`}>
      <g transform={`translate(${box.x},${box.y})`} data-testid="map-node" data-node-id={node.id} data-kind={node.kind} data-signal={severity ?? undefined}>
        <title>{`${node.kind}: ${node.name}\n${lines.join("\n")}${signalNote}`}</title>
        <rect width={box.width} height={box.height} rx={node.kind === "queue" ? 18 : 6} fill={KIND_FILL[node.kind]} stroke={stroke} strokeWidth={severity ? 3 : 1.5} />
        <text x={10} y={20} fontSize={13} fontWeight={600} fill="#16191f">{shortName(node.name)}</text>
        {lines.map((l, i) => <text key={i} x={10} y={38 + i * 15} fontSize={11} fill="#495057">{l}</text>)}
        {node.kind === "service" && node.slos.slice(0, 8).map((slo, i) => (
          <circle key={slo.name} cx={14 + i * 14} cy={box.height - 12} r={5} fill={SLO_COLOUR[slo.state]} data-testid="map-slo" data-state={slo.state}>
            <title>{`SLO ${slo.name}: ${slo.state}`}</title>
          </circle>
        ))}
        {severity && <text x={box.width - 10} y={20} fontSize={13} textAnchor="end" fill={stroke} aria-hidden="true">⚠</text>}
      </g>
    </Linked>
  );
}

function Edge({ edge, points, names }: { edge: MapEdge; points: { x: number; y: number }[]; names: Map<string, string> }) {
  const severity = worstSeverity(edge.signals);
  const colour = severity ? SIGNAL_COLOUR[severity] : "#868e96";
  const label = edgeLabelAt(points);
  const title = edgeTitle(edge, names.get(edge.from) ?? edge.from, names.get(edge.to) ?? edge.to);
  return (
    <Linked href={targetOf(edge)} label={title}>
      <g data-testid="map-edge" data-edge-id={edge.id} data-signal={severity ?? undefined}>
        <title>{title}</title>
        <path d={points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ")} fill="none" stroke={colour} strokeWidth={severity ? 3 : 1.5}
          strokeDasharray={edge.kind === "call" ? "5 3" : undefined} markerEnd={`url(#arrow-${severity ?? "none"})`} />
        {label && <text x={label.x} y={label.y - 4} fontSize={10} textAnchor="middle" fill={colour} stroke="#fff" strokeWidth={3} paintOrder="stroke">{rateLabel(edge.ratePerS)}</text>}
      </g>
    </Linked>
  );
}

export function ServiceMapGraph({ map }: { map: ServiceMapView }) {
  const boxes = new Map(map.layout.nodes.map((n) => [n.id, n]));
  const routes = new Map(map.layout.edges.map((e) => [e.id, e.points]));
  const names = new Map(map.nodes.map((n) => [n.id, n.name]));
  const markers = { none: "#868e96", ...SIGNAL_COLOUR };
  return (
    <div className="panel" style={{ overflow: "auto", padding: 8 }}>
      <svg role="img" aria-label={`Service map: ${map.nodes.length} nodes, ${map.edges.length} edges`} width={map.layout.width} height={map.layout.height}
        viewBox={`0 0 ${map.layout.width} ${map.layout.height}`} style={{ display: "block", fontFamily: "inherit" }} data-testid="service-map">
        <defs>
          {Object.entries(markers).map(([key, colour]) => (
            <marker key={key} id={`arrow-${key}`} viewBox="0 0 10 10" refX={10} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={colour} />
            </marker>
          ))}
        </defs>
        {map.edges.map((e) => <Edge key={e.id} edge={e} points={routes.get(e.id) ?? []} names={names} />)}
        {map.nodes.map((n) => {
          const box = boxes.get(n.id);
          return box ? <Node key={n.id} node={n} box={box} /> : null;
        })}
      </svg>
    </div>
  );
}
