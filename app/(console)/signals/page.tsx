import Link from "next/link";
import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { listSignals } from "@/lib/signals";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { duration, KIND_LABEL, severityClass, since } from "../../_features/signals/format";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { service } = consoleSearch("/signals", await searchParams).values;
  const signals = await listSignals(getAppContext().db, { status: "all", service, limit: 200 });
  const now = Date.now();
  return (
    <>
      <h1>Signals</h1>
      <p className="lead">
        Saturation, retry storms and cache stampedes, detected before they breach an SLO. Evaluated every 10 s over sliding one-minute windows, by <Link href={service ? `/signals/thresholds?service=${encodeURIComponent(service)}` : "/signals/thresholds"}>thresholds you can tune</Link>{service ? <> · service <b>{service}</b> · <Link href="/signals">all services</Link></> : null}.
      </p>
      {signals.length === 0 ? (
        <EmptyState title="No signals">
          When a queue&apos;s arrival rate outruns its completion rate, a connection pool makes callers wait, retries amplify load on a failing dependency, or a cache stops absorbing lookups, a signal opens here with its evidence, expected impact and a capacity recommendation.
        </EmptyState>
      ) : (
        <section className="panel">
          <table>
            <thead>
              <tr><th>State</th><th>Kind</th><th>Resource</th><th>Summary</th><th>Services</th><th>Opened</th><th>Lasted</th></tr>
            </thead>
            <tbody>
              {signals.map((s) => (
                <tr key={s.id}>
                  <td><span className={`badge ${severityClass(s)}`}>{s.phase === "open" ? s.severity : "resolved"}</span></td>
                  <td>{KIND_LABEL[s.kind]}</td>
                  <td><Link href={`/signals/${s.id}`}>{s.resource}</Link></td>
                  <td className="muted" style={{ maxWidth: 520 }}>{s.summary}</td>
                  <td>{s.services.map((name) => <Link key={name} className="badge" href={`/services/${encodeURIComponent(name)}`}>{name}</Link>)}</td>
                  <td title={s.openedAt ?? ""}>{since(s.openedAt, now)}</td>
                  <td>{duration(s.openedAt, s.resolvedAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
