import Link from "next/link";
import { notFound } from "next/navigation";
import { consoleParam } from "@/lib/api";
import { getSignal } from "@/lib/signals";
import { DomainError } from "@/lib/errors";
import { getAppContext } from "@/lib/context/app-context";
import { EvidenceCharts } from "../../../_features/signals/evidence-charts";
import { duration, figureLabel, figureName, KIND_LABEL, severityClass } from "../../../_features/signals/format";

export const dynamic = "force-dynamic";

export default async function SignalPage({ params }: { params: Promise<{ id: string }> }) {
  const id = consoleParam((await params).id);
  if (id === null) notFound();
  const s = await getSignal(getAppContext().db, id).catch((err: unknown) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  const now = Date.now();
  const figures = Object.entries(s.figures).filter(([, v]) => v !== null);
  return (
    <>
      <p className="muted"><Link href="/signals">← Signals</Link></p>
      <h1>
        {KIND_LABEL[s.kind]}: {s.resource} <span className={`badge ${severityClass(s)}`}>{s.phase === "open" ? `open · ${s.severity}` : "resolved"}</span>
      </h1>
      <p className="lead">{s.summary}</p>
      <div className="grid">
        <div className="panel stat"><div className="label">Opened</div><div className="value">{s.openedAt ? new Date(s.openedAt).toLocaleString() : "—"}</div></div>
        <div className="panel stat"><div className="label">{s.resolvedAt ? "Lasted" : "Open for"}</div><div className="value">{duration(s.openedAt, s.resolvedAt, now)}</div></div>
        <div className="panel stat"><div className="label">Evidence</div><div className="value">{s.reasonCodes.map((r) => <span key={r} className="badge">{r.replaceAll("_", " ")}</span>)}</div></div>
      </div>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Affected</h2>
        <p>
          Services: {s.services.map((name) => <Link key={name} className="badge" href={`/services/${encodeURIComponent(name)}`}>{name}</Link>)}
          {" · "}
          <Link href="/slos">SLOs of these services</Link>
          {s.services[0] && <>{" · "}<Link href={`/signals/thresholds?service=${encodeURIComponent(s.services[0])}`}>thresholds it was judged by</Link></>}
        </p>
        {s.exampleJobIds.length > 0 && (
          <p>
            Example jobs: {s.exampleJobIds.map((j) => <Link key={j} className="badge" href={`/jobs/${encodeURIComponent(j)}`}>{j}</Link>)}
          </p>
        )}
        <table aria-label="Figures">
          <tbody>
            {figures.map(([k, v]) => (
              <tr key={k}><th style={{ textAlign: "left", fontWeight: 500 }}>{figureName(k)}</th><td>{figureLabel(k, v)}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <h2>Evidence</h2>
      <EvidenceCharts charts={s.charts} />
    </>
  );
}
