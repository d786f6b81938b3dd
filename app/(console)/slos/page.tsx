import Link from "next/link";
import { hasScope } from "@/lib/auth";
import { listSloOverview } from "@/lib/slo";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { budgetClass, burnLabel, percent, sliLabel, windowLabel } from "../../_features/slos/format";
import { requireUser } from "../../_lib/session";

export default async function SlosPage() {
  const user = await requireUser();
  const slos = await listSloOverview(getAppContext().db);
  const canWrite = hasScope(user, "write");
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div>
          <h1>SLOs</h1>
          <p className="lead">Service level objectives and their error budgets.</p>
        </div>
        {canWrite && <Link className="button primary" href="/slos/new">New SLO</Link>}
      </div>
      {slos.length === 0 ? (
        <EmptyState title="No SLOs defined yet">
          Each SLO will appear here with its SLI (availability, latency, job completion, queue wait or metric ratio), objective, error budget remaining and
          burn rates over the alerting windows. Define one with New SLO, through the API (/api/v1/slos) or as OpenSLO YAML with{" "}
          <code>npm run tailguard -- apply -f slos/</code>.
        </EmptyState>
      ) : (
        <div className="panel">
          <table>
            <thead>
              <tr><th>SLO</th><th>Service</th><th>SLI</th><th>Objective</th><th>Window</th><th>SLI now</th><th>Budget left</th><th>Burn 1 h</th><th>Alerts</th></tr>
            </thead>
            <tbody>
              {slos.map((s) => {
                const burn1h = s.status?.burnRates.find((b) => b.windowMinutes === 60)?.burnRate;
                const remaining = s.status && !s.status.noData ? s.status.budgetRemainingRatio : null;
                return (
                  <tr key={s.id} data-testid="slo-row">
                    <td><Link href={`/slos/${s.definition.name}`}>{s.definition.displayName ?? s.definition.name}</Link></td>
                    <td>{s.definition.service}</td>
                    <td>{sliLabel(s.definition.sli)}</td>
                    <td>{s.definition.objectivePercent} %</td>
                    <td>{windowLabel(s.definition.window)}</td>
                    <td>{s.status ? percent(s.status.sliRatio) : "not evaluated yet"}</td>
                    <td>{remaining === null ? <span className="muted">no data</span> : <span className={`badge ${budgetClass(remaining)}`}>{percent(remaining, 1)}</span>}</td>
                    <td>{burnLabel(burn1h)}</td>
                    <td>{s.alerts.filter((a) => a.status === "firing").map((a) => <span key={a.key} className={`badge ${a.severity === "page" ? "bad" : "warn"}`}>{a.key}</span>)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
