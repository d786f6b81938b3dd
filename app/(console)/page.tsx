import { getAppContext } from "@/lib/runtime/context";
import { getStatus } from "@/lib/runtime/status";
import { EmptyState } from "../_components/empty-state";
import { requestHost } from "../_lib/session";

export default async function OverviewPage() {
  const app = getAppContext();
  const status = await getStatus(app, await requestHost());
  const leader = status.instances.find((i) => i.isLeader);
  return (
    <>
      <h1>Overview</h1>
      <p className="lead">Which SLOs burn, which queues saturate, and whether releases may go out.</p>
      <div className="grid">
        <div className="panel stat">
          <div className="label">Version</div>
          <div className="value">{status.version}</div>
        </div>
        <div className="panel stat">
          <div className="label">Database</div>
          <div className="value">{status.database.kind === "pglite" ? "Embedded (PGlite)" : "PostgreSQL"}</div>
          <div className="muted mono">{status.database.location}</div>
        </div>
        <div className="panel stat">
          <div className="label">Engine</div>
          <div className="value">{leader ? "Running" : "No leader"}</div>
          <div className="muted">{leader ? `leader ${leader.hostname} · last tick ${leader.lastTickMs?.toFixed(1) ?? "–"} ms` : "start a replica with role all or engine"}</div>
        </div>
        <div className="panel stat">
          <div className="label">OTLP ingestion</div>
          <div className="value">{status.ingest.auth === "open" ? "Open (demo)" : "Token required"}</div>
          <div className="muted mono">{status.ingest.otlpHttpEndpoint}</div>
        </div>
      </div>
      <h2>Replicas</h2>
      <div className="panel">
        <table>
          <thead>
            <tr>
              <th>Instance</th>
              <th>Role</th>
              <th>Started</th>
              <th>Last seen</th>
              <th>Engine</th>
            </tr>
          </thead>
          <tbody>
            {status.instances.map((i) => (
              <tr key={i.id}>
                <td className="mono">{i.id}</td>
                <td>{i.role}</td>
                <td>{new Date(i.startedAt).toLocaleString()}</td>
                <td>{new Date(i.lastSeenAt).toLocaleTimeString()}</td>
                <td>{i.isLeader ? <span className="badge ok">leader</span> : <span className="badge">follower</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <EmptyState title="No SLOs burning — no SLOs yet">
        Once services send telemetry and SLOs are defined, this page shows each SLO&apos;s error budget and burn rate, open
        saturation and retry-storm signals, and the current release-gate decision.
      </EmptyState>
    </>
  );
}
