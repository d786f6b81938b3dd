import Link from "next/link";
import { consoleStatus } from "@/lib/faro";
import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { listSloOverview, sloSparklines, sloState } from "@/lib/slo";
import { getAppContext } from "@/lib/context/app-context";
import { getStatus } from "@/lib/runtime/status";
import { EmptyState } from "../_components/empty-state";
import { ConsoleCard } from "../_features/faro/console-card";
import { SloOverviewTable } from "../_features/slos/slo-overview-table";
import { requestHost } from "../_lib/session";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const app = getAppContext();
  const search = consoleSearch("/", await searchParams).values;
  const status = await getStatus(app, await requestHost());
  const allSlos = await listSloOverview(app.db);
  const services = [...new Set(allSlos.map((s) => s.definition.service))].sort();
  const slos = allSlos
    .filter((s) => !search.service || s.definition.service === search.service)
    .filter((s) => !search.state || sloState(s) === search.state)
    .sort((a, b) =>
      search.sort === "budget"
        ? (a.status?.budgetRemainingRatio ?? Infinity) - (b.status?.budgetRemainingRatio ?? Infinity)
        : a.definition.name.localeCompare(b.definition.name),
    );
  const sparklines = await sloSparklines(app.db, slos.map((s) => s.id), new Date());
  const leader = status.instances.find((i) => i.isLeader);
  const consoleCard = await consoleStatus(app.db, app.config, Date.now());
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
      <ConsoleCard status={consoleCard} />
      {allSlos.length > 0 && (
        <>
          <h2>SLOs</h2>
          <form className="row" method="get" aria-label="Filter SLOs" style={{ marginBottom: 10 }}>
            <label>Service
              <select name="service" defaultValue={search.service ?? ""}>
                <option value="">all</option>
                {services.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            <label>State
              <select name="state" defaultValue={search.state ?? ""}>
                <option value="">all</option><option value="firing">firing</option><option value="ok">ok</option><option value="no data">no data</option>
              </select>
            </label>
            <label>Sort
              <select name="sort" defaultValue={search.sort ?? "name"}>
                <option value="name">name</option><option value="budget">budget left (least first)</option>
              </select>
            </label>
            <button type="submit">Apply</button>
          </form>
          <div className="panel">
            {slos.length ? <SloOverviewTable slos={slos} sparklines={sparklines} /> : <p className="muted">No SLO matches these filters. <Link href="/">Clear them</Link>.</p>}
          </div>
        </>
      )}
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
      {allSlos.length === 0 && <EmptyState title="No SLOs burning — no SLOs yet">
        Once services send telemetry and SLOs are defined, this page shows each SLO&apos;s error budget and burn rate, open
        saturation and retry-storm signals, and the current release-gate decision.
      </EmptyState>}
    </>
  );
}
