// One page of the job index: status, attempts, end-to-end, queue and worker time, services, last seen, error.
import Link from "next/link";
import type { JobView } from "@/lib/telemetry";
import { durationLabel, nsToDate, statusClass } from "./format";
import { jobHref } from "./search-params";

export function JobsTable({ jobs }: { jobs: JobView[] }) {
  return (
    <table aria-label="Jobs">
      <thead>
        <tr><th>Job</th><th>Status</th><th>Attempts</th><th>End-to-end</th><th>In queue</th><th>In workers</th><th>Services</th><th>Last seen</th></tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.jobId}>
            <td style={{ maxWidth: 260 }}>
              <Link href={jobHref(j.jobId)} className="mono" style={{ wordBreak: "break-all" }}>{j.jobId}</Link>
              {j.errorMessage && <div className="muted" style={{ fontSize: 12, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={j.errorMessage}>{j.errorMessage}</div>}
            </td>
            <td><span className={`badge ${statusClass(j.status)}`}>{j.status}</span></td>
            <td>{j.attempts > 1 ? <strong>{j.attempts}</strong> : j.attempts}</td>
            <td>{durationLabel(j.endToEndNs)}</td>
            <td>{durationLabel(j.queueNs)}</td>
            <td>{durationLabel(j.workerNs)}</td>
            <td>{j.services.join(", ")}</td>
            <td>{nsToDate(j.lastSeenUnixNano).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
