// Open signals that name a service, for the pages of that service and of its SLOs.
import Link from "next/link";
import { getAppContext } from "@/lib/runtime/context";
import { listSignals } from "@/lib/signals/store";
import { KIND_LABEL, severityClass } from "./format";

export async function OpenSignals({ service }: { service: string }) {
  const signals = await listSignals(getAppContext().db, { status: "open", service, limit: 20 });
  if (signals.length === 0) return null;
  return (
    <section className="panel" aria-label="Open signals">
      <h2 style={{ marginTop: 0 }}>Open signals</h2>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {signals.map((s) => (
          <li key={s.id}>
            <span className={`badge ${severityClass(s)}`}>{s.severity}</span> <Link href={`/signals/${s.id}`}>{KIND_LABEL[s.kind]}: {s.resource}</Link>{" "}
            <span className="muted">{s.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
