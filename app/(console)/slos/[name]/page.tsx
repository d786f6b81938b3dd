import { OpenSignals } from "../../../_features/signals/open-signals";
import { notFound } from "next/navigation";
import { consoleParam } from "@/lib/api";
import { definitionObjective, objectiveRatio, exportOpenSlo, recentBurners, getSloDetail } from "@/lib/slo";
import { hasScope } from "@/lib/auth";
import { DomainError } from "@/lib/errors";
import { getAppContext } from "@/lib/context/app-context";
import Link from "next/link";
import { budgetClass, burnLabel, percent, sliLabel, windowLabel } from "../../../_features/slos/format";
import { RebuildPanel } from "../../../_features/slos/rebuild-panel";
import { SloCharts } from "../../../_features/slos/slo-charts";
import { requireUser } from "../../../_lib/session";

const WINDOW_LABEL: Record<number, string> = { 5: "5 m", 30: "30 m", 60: "1 h", 120: "2 h", 360: "6 h", 1440: "1 d", 4320: "3 d" };

export default async function SloPage({ params }: { params: Promise<{ name: string }> }) {
  const name = consoleParam((await params).name);
  if (name === null) notFound();
  const detail = await getSloDetail(getAppContext().db, name).catch((err: unknown) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  const { slo, series, events, rebuild } = detail;
  const user = await requireUser();
  const d = slo.definition;
  const burners = await recentBurners(getAppContext().db, d, new Date());
  const s = slo.status;
  const remaining = s && !s.noData ? s.budgetRemainingRatio : null;
  return (
    <>
      <h1>{d.displayName ?? d.name}</h1>
      <p className="lead">
        {d.description || sliLabel(d.sli)} · service <strong>{d.service}</strong> · objective <strong>{d.objectivePercent} %</strong> over {windowLabel(d.window)}
      </p>
      <div className="grid">
        <div className="panel stat"><div className="label">SLI over the window</div><div className="value">{s ? percent(s.sliRatio) : "not evaluated yet"}</div></div>
        <div className="panel stat"><div className="label">Error budget left</div><div className="value">{remaining === null ? "no data" : <span className={`badge ${budgetClass(remaining)}`}>{percent(remaining, 1)}</span>}</div></div>
        <div className="panel stat"><div className="label">Exhausted at current burn</div><div className="value">{s?.exhaustionAt ? new Date(s.exhaustionAt).toLocaleString() : "not burning"}</div></div>
        <div className="panel stat"><div className="label">Alerting</div><div className="value">{s?.firingSeverity ?? "quiet"}</div></div>
      </div>
      <OpenSignals service={d.service} />
      <SloCharts series={series} objectiveRatio={objectiveRatio(definitionObjective(d))} />
      <RebuildPanel name={d.name} initial={rebuild} canWrite={hasScope(user, "write")} />
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Burn rates</h2>
        {!s && <p className="muted">The engine evaluates SLOs every 15 seconds; burn rates appear after the first evaluation.</p>}
        <table>
          <thead><tr>{s?.burnRates.map((b) => <th key={b.windowMinutes}>{WINDOW_LABEL[b.windowMinutes] ?? `${b.windowMinutes} m`}</th>)}</tr></thead>
          <tbody><tr>{s?.burnRates.map((b) => <td key={b.windowMinutes}>{burnLabel(b.burnRate)}</td>)}</tr></tbody>
        </table>
        <p className="muted" style={{ fontSize: 13 }}>1× spends exactly the budget over the window. Pages fire at 14.4× (1 h and 5 m) or 6× (6 h and 30 m) on a 30-day window.</p>
      </section>
      <section className="panel" aria-label="What burned the budget">
        <h2 style={{ marginTop: 0 }}>What burned the budget (last 24 h)</h2>
        {burners.length === 0 ? <p className="muted">No bad events in the last 24 hours{d.sli.kind === "metricRatio" ? " (metric-ratio SLIs count metric points, not individual events)" : ""}.</p> : (
          <table>
            <thead><tr><th>When</th><th>What</th><th>Took</th><th>Why</th></tr></thead>
            <tbody>
              {burners.map((b) => (
                <tr key={b.type === "span" ? b.spanId : b.jobId} data-testid="burner-row">
                  <td>{new Date(b.at).toLocaleString()}</td>
                  <td>
                    {b.type === "span" ? <Link href={`/traces/${b.traceId}`}>{b.service} · {b.name}</Link> : b.traceId ? <Link href={`/traces/${b.traceId}`}>job {b.jobId}</Link> : <>job {b.jobId}</>}
                  </td>
                  <td>{b.durationMs >= 1000 ? `${(b.durationMs / 1000).toFixed(1)} s` : `${b.durationMs.toFixed(0)} ms`}</td>
                  <td>{b.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Definition (OpenSLO)</h2>
        <pre data-testid="slo-yaml">{exportOpenSlo([d], { style: "inline" })}</pre>
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Alert history</h2>
        {events.length === 0 ? <p className="muted">No alert has fired for this SLO.</p> : (
          <table>
            <thead><tr><th>When</th><th>Alert</th><th>Event</th><th>Summary</th></tr></thead>
            <tbody>{events.map((e) => <tr key={e.id}><td>{new Date(e.at).toLocaleString()}</td><td>{e.key}</td><td><span className={`badge ${e.type === "firing" ? "bad" : "ok"}`}>{e.type}</span></td><td>{e.summary}</td></tr>)}</tbody>
          </table>
        )}
      </section>
    </>
  );
}
