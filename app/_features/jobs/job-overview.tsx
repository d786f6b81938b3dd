// The top of a job's page: status and last error, the job's figures, its traces and one row per attempt.
import Link from "next/link";
import type { JobDetail } from "@/lib/telemetry";
import { durationLabel, nsToDate, statusClass } from "./format";

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="panel stat" title={hint}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
    </div>
  );
}

export function JobOverview({ detail }: { detail: JobDetail }) {
  const { job, attempts } = detail;
  return (
    <>
      <section className="panel" aria-label="Job status">
        <span className={`badge ${statusClass(job.status)}`} style={{ fontSize: 14 }}>{job.status}</span>
        <span className="muted"> since {nsToDate(job.statusTimeUnixNano).toLocaleString()} · first seen {nsToDate(job.firstSeenUnixNano).toLocaleString()} · {job.services.join(", ")}{job.queues.length > 0 ? ` · queue ${job.queues.join(", ")}` : ""}</span>
        {job.errorMessage && (
          <p className="error" role="status" style={{ fontSize: 14 }}>
            <strong>Last error:</strong> {job.errorMessage}{job.errorTimeUnixNano ? ` (${nsToDate(job.errorTimeUnixNano).toLocaleTimeString()})` : ""}
          </p>
        )}
        <p style={{ margin: "10px 0 0", fontSize: 13 }}>
          {job.traceIds.length === 1 ? "Trace " : `${job.traceIds.length} traces: `}
          {job.traceIds.map((t, i) => (
            <span key={t}>{i > 0 && ", "}<Link href={`/traces/${t}`} className="mono">{t}</Link></span>
          ))}
        </p>
      </section>
      <div className="grid">
        <Stat label="End-to-end" value={job.status === "running" ? "running" : durationLabel(job.endToEndNs)} hint="first span (the API's accept) to the final result" />
        <Stat label="Time in queue" value={durationLabel(job.queueNs)} hint="each attempt's wait from its publish to its consumer's start, added up" />
        <Stat label="Time in workers" value={durationLabel(job.workerNs)} hint="consumer spans, added up" />
        <Stat label="Attempts" value={String(job.attempts)} />
      </div>
      {attempts.length > 0 && (
        <section className="panel" aria-label="Attempts">
          <table>
            <thead><tr><th>Attempt</th><th>Started</th><th>Waited in queue</th><th>Ran</th><th>Worker</th><th>Result</th><th>Trace</th></tr></thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.consumerSpanId}>
                  <td>attempt {a.attempt}</td>
                  <td>{nsToDate(a.startTimeUnixNano).toLocaleTimeString()}</td>
                  <td>{durationLabel(a.queueWaitNs)}</td>
                  <td>{durationLabel(a.durationNs)}</td>
                  <td>{a.service}</td>
                  <td><span className={`badge ${a.statusCode === "ERROR" ? "bad" : "ok"}`}>{a.statusCode === "ERROR" ? "failed" : "ok"}</span></td>
                  <td><Link href={`/traces/${a.traceId}`} className="mono">{a.traceId.slice(0, 12)}…</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
