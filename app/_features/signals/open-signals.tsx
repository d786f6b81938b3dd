// Signals on the pages they concern: open ones of a service (service and SLO pages), those citing a job.
import Link from "next/link";
import { getAppContext } from "@/lib/context/app-context";
import { listSignals, signalsForJob, type SignalView } from "@/lib/signals";
import { KIND_LABEL, severityClass } from "./format";

export async function OpenSignals({ service }: { service: string }) {
  return <SignalList title="Open signals" signals={await listSignals(getAppContext().db, { status: "open", service, limit: 20 })} />;
}

/** Signals that cite this job as an example of their evidence. */
export async function JobSignals({ jobId }: { jobId: string }) {
  return <SignalList title="Signals citing this job" signals={await signalsForJob(getAppContext().db, jobId)} />;
}

function SignalList({ title, signals }: { title: string; signals: SignalView[] }) {
  if (signals.length === 0) return null;
  return (
    <section className="panel" aria-label={title}>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {signals.map((s) => (
          <li key={s.id}>
            <span className={`badge ${severityClass(s)}`}>{s.phase === "resolved" ? "resolved" : s.severity}</span> <Link href={`/signals/${s.id}`}>{KIND_LABEL[s.kind]}: {s.resource}</Link>{" "}
            <span className="muted">{s.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
