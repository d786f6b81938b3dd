"use client";
// Every span of every attempt of one job on one time axis: indented by parent, labelled by attempt, each queue
// wait drawn as a hatched "waiting in queue" bar above the consumer it ended, and span links drawn as dashed
// leaders from the linked span's end. Clicking a row shows the span's attributes, events, links and logs.
import { useState } from "react";
import { JobDetail, JobSpan, layoutJobTimeline, type TimelineRow } from "@/lib/telemetry/browser";
import { nsLabel } from "../services/format";
import { SpanDetails } from "../traces/span-details";

const ATTEMPT_COLORS = ["#3b5bdb", "#0c8599", "#7048e8", "#d9480f", "#5c940d"];
const attemptColor = (attempt: number | null) => (attempt === null ? "#adb5bd" : ATTEMPT_COLORS[(attempt - 1) % ATTEMPT_COLORS.length]!);
const QUEUE_BAR = "repeating-linear-gradient(135deg, #f59f00 0 4px, #ffe8cc 4px 8px)";

function barColor(span: JobSpan): string {
  if (span.statusCode === "ERROR") return "var(--bad)";
  if (span.kind === "PRODUCER") return "#0c8599";
  if (span.kind === "CONSUMER") return "var(--accent)";
  return "#748ffc";
}

function Axis({ totalNs }: { totalNs: bigint }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div style={{ position: "relative", height: 14, fontSize: 11, fontWeight: 400, textTransform: "none", letterSpacing: 0, whiteSpace: "nowrap" }}>
      {ticks.map((t) => (
        <span key={t} style={{ position: "absolute", left: `${t * 100}%`, transform: t === 0 ? undefined : t === 1 ? "translateX(-100%)" : "translateX(-50%)" }}>
          {t === 0 ? "0" : nsLabel(BigInt(Math.round(Number(totalNs) * t)))}
        </span>
      ))}
    </div>
  );
}

export function JobTimeline({ detail }: { detail: JobDetail }) {
  const rows = layoutJobTimeline(detail.spans, detail.queueWaits, detail.attempts);
  const byId = new Map(detail.spans.map((s) => [s.spanId, s]));
  const first = rows.find((r): r is Extract<TimelineRow<JobSpan>, { kind: "span" }> => r.kind === "span");
  const [selectedId, setSelectedId] = useState<string | null>(first?.span.spanId ?? null);
  const selected = selectedId === null ? undefined : byId.get(selectedId);
  const starts = detail.spans.map((s) => BigInt(s.startTimeUnixNano));
  const ends = detail.spans.map((s) => BigInt(s.endTimeUnixNano));
  const startNs = starts.reduce((m, x) => (x < m ? x : m), starts[0] ?? 0n);
  const totalNs = ends.reduce((m, x) => (x > m ? x : m), startNs) - startNs;
  const offsetOf = (ns: string) => (totalNs === 0n ? 0 : Number(BigInt(ns) - startNs) / Number(totalNs));
  const multiTrace = detail.job.traceIds.length > 1;

  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 3fr) minmax(320px, 2fr)", gap: 16, alignItems: "start" }}>
      <section className="panel" aria-label="Job timeline" style={{ padding: "12px 14px" }}>
        <table>
          <thead>
            <tr><th style={{ width: "40%" }}>Span · {detail.spans.length}{detail.truncated ? " (first 10,000)" : ""}</th><th><Axis totalNs={totalNs} /></th></tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const indent = { paddingLeft: 10 + row.depth * 14, borderLeft: `3px solid ${attemptColor(row.attempt)}` };
              if (row.kind === "queue") {
                const { wait } = row;
                return (
                  <tr key={`q:${wait.consumerSpanId}`} data-kind="queue" onClick={() => setSelectedId(wait.consumerSpanId)} style={{ cursor: "pointer", background: "#fffaf0" }}>
                    <td style={indent}>
                      <div style={{ fontWeight: 500, color: "#a65f00" }}>waiting in queue{wait.queue ? ` · ${wait.queue}` : ""}</div>
                      <div className="muted" style={{ fontSize: 12 }}>
                        {row.attempt !== null && `attempt ${row.attempt} · `}
                        {wait.paired ? `after ${byId.get(wait.fromSpanId)?.name ?? "its publish"}` : `ready since ${byId.get(wait.fromSpanId)?.name ?? "an earlier span"} ended`}
                      </div>
                    </td>
                    <td>
                      <div style={{ position: "relative", height: 18, background: "#f1f3f5", borderRadius: 3 }}>
                        <div title={`waited ${nsLabel(wait.waitNs)} in queue`} style={{ position: "absolute", left: `${row.offset * 100}%`, width: `${Math.min(row.width, 1 - row.offset) * 100}%`, top: 3, bottom: 3, borderRadius: 2, background: QUEUE_BAR }} />
                      </div>
                      <div style={{ fontSize: 11, color: "#a65f00" }}>{nsLabel(wait.waitNs)} in queue</div>
                    </td>
                  </tr>
                );
              }
              const { span } = row;
              const linked = span.links.map((l) => byId.get(l.spanId)).filter((s): s is JobSpan => s !== undefined);
              const isSelected = selectedId === span.spanId;
              return (
                <tr key={span.spanId} data-kind="span" onClick={() => setSelectedId(span.spanId)} aria-selected={isSelected} style={{ cursor: "pointer", background: isSelected ? "#edf2ff" : undefined }}>
                  <td style={indent}>
                    <div style={{ fontWeight: 500 }}>{span.name}</div>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {row.attempt !== null && <span style={{ color: attemptColor(row.attempt), fontWeight: 600 }}>attempt {row.attempt} · </span>}
                      {`${span.service} · ${span.kind.toLowerCase()}`}
                      {multiTrace && byId.get(span.parentSpanId ?? "")?.traceId !== span.traceId && <> · trace <span className="mono">{span.traceId.slice(0, 8)}</span></>}
                      {linked.map((l) => (
                        <span key={l.spanId}> · <button type="button" onClick={(e) => { e.stopPropagation(); setSelectedId(l.spanId); }} style={{ padding: 0, border: 0, background: "none", color: "var(--accent)", fontSize: 12 }}>↪ linked to {l.name}</button></span>
                      ))}
                    </div>
                  </td>
                  <td>
                    <div style={{ position: "relative", height: 18, background: "#f1f3f5", borderRadius: 3 }}>
                      {linked.map((l) => {
                        const from = offsetOf(l.endTimeUnixNano);
                        return from < row.offset ? (
                          <div key={l.spanId} title={`linked to ${l.name}`} style={{ position: "absolute", left: `${from * 100}%`, width: `${(row.offset - from) * 100}%`, top: 8, borderTop: "2px dashed #7048e8" }} />
                        ) : null;
                      })}
                      <div title={`${span.name}: ${nsLabel(span.durationNs)}`} style={{ position: "absolute", left: `${row.offset * 100}%`, width: `${Math.min(row.width, 1 - row.offset) * 100}%`, top: 3, bottom: 3, borderRadius: 2, background: barColor(span) }} />
                    </div>
                    <div className="muted" style={{ fontSize: 11 }}>{nsLabel(span.durationNs)}{span.statusCode === "ERROR" ? ` · ${span.statusMessage || "error"}` : ""}</div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted" style={{ fontSize: 12, margin: "10px 0 0" }}>
          <span style={{ display: "inline-block", width: 22, height: 8, background: QUEUE_BAR, verticalAlign: "middle" }} /> waiting in queue ·{" "}
          <span style={{ display: "inline-block", width: 22, borderTop: "2px dashed #7048e8", verticalAlign: "middle" }} /> span link · left border colour = attempt
        </p>
      </section>
      {selected && <SpanDetails span={selected} logs={detail.logs.filter((l) => l.spanId === selected.spanId)} />}
    </div>
  );
}
