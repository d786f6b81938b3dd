// The overview's Console card: the console's own built-in SLOs (LCP, error-free page views) with their status,
// and the last 24 hours in figures, from the telemetry the console sends about itself.
import Link from "next/link";
import { FARO_COLLECT_PATH, ConsoleStatus } from "@/lib/faro";
import { sloState } from "@/lib/slo";
import { budgetClass, percent } from "../slos/format";

function reportingText(r: ConsoleStatus["reporting"]) {
  if (r.kind === "here") return <>this server (<span className="mono">{FARO_COLLECT_PATH}</span>)</>;
  if (r.kind === "external") return <>an external Faro collector (<span className="mono">{r.url}</span>); the SLOs below see no data</>;
  return <>nowhere: <span className="mono">TAILGUARD_FARO_URL=off</span></>;
}

const seconds = (ms: number | null) => (ms === null ? "no data" : `${(ms / 1000).toFixed(2)} s`);

export function ConsoleCard({ status }: { status: ConsoleStatus }) {
  const { last24h } = status;
  return (
    <section aria-labelledby="console-card-title">
      <h2 id="console-card-title">Console</h2>
      <div className="panel" data-testid="console-card">
        <p className="muted" style={{ marginTop: 0 }}>The console reports its own page views, web vitals and JavaScript errors to {reportingText(status.reporting)}.</p>
        <div className="grid" style={{ marginBottom: 12 }}>
          <div className="stat">
            <div className="label">Page views (24 h)</div>
            <div className="value" data-testid="console-page-views">{last24h.pageViews ?? "no data"}</div>
            {last24h.pageViewsWithErrors !== null && <div className="muted" data-testid="console-page-views-with-errors">{last24h.pageViewsWithErrors} with JavaScript errors</div>}
          </div>
          <div className="stat">
            <div className="label">p75 LCP (24 h)</div>
            <div className="value">{seconds(last24h.lcpP75Ms)}</div>
            <div className="muted">{last24h.lcpSamples} page loads measured</div>
          </div>
        </div>
        {status.slos.length === 0 ? (
          <p className="muted">The built-in console SLOs are not defined here (they are created on first start when the console reports to this server).</p>
        ) : (
          <table>
            <thead>
              <tr><th>SLO</th><th>Objective</th><th>SLI (window)</th><th>Budget left</th><th>State</th></tr>
            </thead>
            <tbody>
              {status.slos.map((s) => {
                const state = sloState(s);
                const remaining = s.status && !s.status.noData ? s.status.budgetRemainingRatio : null;
                return (
                  <tr key={s.id} data-testid="console-slo-row">
                    <td><Link href={`/slos/${s.definition.name}`}>{s.definition.displayName ?? s.definition.name}</Link></td>
                    <td>{s.definition.objectivePercent} %</td>
                    <td>{s.status && !s.status.noData ? percent(s.status.sliRatio) : "no data"}</td>
                    <td><span className={`badge ${budgetClass(remaining)}`}>{percent(remaining, 1)}</span></td>
                    <td><span className={`badge ${state === "firing" ? "bad" : state === "ok" ? "ok" : ""}`}>{state}</span></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
