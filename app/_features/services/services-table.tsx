// The services list: one row per service with RED over the selected range and when it was last seen.
import Link from "next/link";
import type { ServiceSummary } from "@/lib/telemetry";
import { errorLabel, msLabel, rateLabel } from "./format";

export function ServicesTable({ services }: { services: ServiceSummary[] }) {
  return (
    <div className="panel">
      <table aria-label="Services">
        <thead>
          <tr><th>Service</th><th>Requests</th><th>Errors</th><th>p50</th><th>p95</th><th>p99</th><th>Last seen</th></tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.name}>
              <td><Link href={`/services/${encodeURIComponent(s.name)}`}>{s.name}</Link>{s.basis === "all" && <span className="muted" title="No SERVER or CONSUMER spans: figures count all spans"> · all spans</span>}</td>
              <td>{rateLabel(s.requestRatePerS)}</td>
              <td>{s.errorRatio !== null && s.errorRatio > 0.01 ? <span className="badge bad">{errorLabel(s.errorRatio)}</span> : errorLabel(s.errorRatio)}</td>
              <td>{msLabel(s.p50Ms)}</td>
              <td>{msLabel(s.p95Ms)}</td>
              <td>{msLabel(s.p99Ms)}</td>
              <td>{s.lastSeen ? new Date(s.lastSeen).toLocaleString() : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
