// The selected span of a waterfall: IDs, timing, status, what limits cut, attributes, events, links, resource, logs.
import Link from "next/link";
import type { TraceLog, TraceSpan } from "@/lib/telemetry/browser";
import { nsLabel } from "../services/format";
import { spanCutNotes } from "./span-cuts";

const nsToIso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();

function KeyValues({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="muted">none</p>;
  return (
    <table>
      <tbody>{entries.map(([k, v]) => <tr key={k}><td className="mono">{k}</td><td className="mono" style={{ wordBreak: "break-all" }}><div style={{ maxHeight: 160, overflow: "auto" }}>{typeof v === "string" ? v : JSON.stringify(v)}</div></td></tr>)}</tbody>
    </table>
  );
}

export function SpanDetails({ span, logs }: { span: TraceSpan; logs: TraceLog[] }) {
  const cuts = spanCutNotes(span);
  return (
    <section className="panel" aria-label="Span details">
      <h2 style={{ marginTop: 0 }}>{span.name}</h2>
      <p className="muted mono" style={{ fontSize: 12 }}>span {span.spanId}{span.parentSpanId ? ` · parent ${span.parentSpanId}` : " · root"}</p>
      <p>
        <span className={`badge ${span.statusCode === "ERROR" ? "bad" : "ok"}`}>{span.statusCode}</span> {span.statusMessage}
        <br />started {nsToIso(span.startTimeUnixNano)} · took {nsLabel(span.durationNs)} ({span.durationNs} ns)
      </p>
      {cuts.length > 0 && <p className="muted" role="note" aria-label="Span limits">Cut by span limits (by the sender&apos;s SDK or on ingest): {cuts.join(" · ")}</p>}
      <h2>Attributes</h2>
      <KeyValues values={span.attributes} />
      <h2>Events</h2>
      {span.events.length === 0 ? <p className="muted">none</p> : span.events.map((e, i) => (
        <div key={i}><strong>{e.name}</strong> <span className="muted">{nsToIso(e.timeUnixNano)}</span><KeyValues values={e.attributes} /></div>
      ))}
      <h2>Links</h2>
      {span.links.length === 0 ? <p className="muted">none</p> : (
        <ul>{span.links.map((l) => <li key={`${l.traceId}:${l.spanId}`}><Link href={`/traces/${l.traceId}`} className="mono">{l.traceId.slice(0, 12)}… / {l.spanId}</Link>{Object.keys(l.attributes).length > 0 && <KeyValues values={l.attributes} />}</li>)}</ul>
      )}
      <h2>Logs</h2>
      {logs.length === 0 ? <p className="muted">none</p> : (
        <table><tbody>{logs.map((l, i) => <tr key={i}><td>{nsToIso(l.timeUnixNano)}</td><td>{l.severityText}</td><td className="mono">{typeof l.body === "string" ? l.body : JSON.stringify(l.body)}</td></tr>)}</tbody></table>
      )}
      <h2>Resource</h2>
      <KeyValues values={span.resource} />
    </section>
  );
}
