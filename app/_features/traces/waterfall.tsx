"use client";
// One trace as a waterfall: a bar per span positioned by start and duration, indented under its parent;
// clicking a row shows its attributes, events, links, resource and logs.
import { useState } from "react";
import { Trace, TraceSpan, layoutWaterfall } from "@/lib/telemetry/browser";
import { nsLabel } from "../services/format";
import { SpanDetails } from "./span-details";

export function Waterfall({ trace }: { trace: Trace }) {
  const rows = layoutWaterfall(trace.spans);
  const [selected, setSelected] = useState<TraceSpan | null>(rows[0]?.span ?? null);
  return (
    <div className="waterfall-layout" style={{ display: "grid", gridTemplateColumns: "minmax(0, 3fr) minmax(280px, 2fr)", gap: 16, alignItems: "start" }}>
      <section className="panel" aria-label="Waterfall">
        <table>
          <thead><tr><th style={{ width: "38%" }}>Span</th><th>Timeline · {nsLabel(trace.durationNs)}</th></tr></thead>
          <tbody>
            {rows.map(({ span, depth, offset, width }) => (
              <tr key={span.spanId} onClick={() => setSelected(span)} aria-selected={selected?.spanId === span.spanId} style={{ cursor: "pointer", background: selected?.spanId === span.spanId ? "#edf2ff" : undefined }}>
                <td style={{ paddingLeft: 10 + depth * 14 }}>
                  <div style={{ fontWeight: 500 }}>{span.name}</div>
                  <div className="muted" style={{ fontSize: 12 }}>{span.service} · {span.kind.toLowerCase()}{span.jobId ? ` · job ${span.jobId}` : ""}</div>
                </td>
                <td>
                  <div style={{ position: "relative", height: 18, background: "#f1f3f5", borderRadius: 3 }}>
                    <div
                      title={`${span.name}: ${nsLabel(span.durationNs)}`}
                      style={{ position: "absolute", left: `${offset * 100}%`, width: `${Math.min(width, 1 - offset) * 100}%`, top: 3, bottom: 3, borderRadius: 2, background: span.statusCode === "ERROR" ? "var(--bad)" : "var(--accent)" }}
                    />
                  </div>
                  <div className="muted" style={{ fontSize: 11 }}>{nsLabel(span.durationNs)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && <SpanDetails span={selected} logs={trace.logs.filter((l) => l.spanId === selected.spanId)} />}
    </div>
  );
}
