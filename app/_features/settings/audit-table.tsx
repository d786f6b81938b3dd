import type { AuditRow } from "@/lib/audit/audit";

export function AuditTable({ entries }: { entries: AuditRow[] }) {
  return (
    <section className="panel" aria-labelledby="audit-h">
      <h2 id="audit-h" style={{ marginTop: 0 }}>Audit log</h2>
      <table>
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Details</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actorName} <span className="muted">({e.actorType})</span></td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.targetType}{e.targetId ? `:${e.targetId.slice(0, 8)}` : ""}</td>
              <td className="mono muted">{JSON.stringify(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
