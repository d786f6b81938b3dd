// Every log record of a job (by job.id or in its traces), in time order.
import type { JobLog } from "@/lib/telemetry";
import { nsToDate } from "./format";

export function JobLogs({ logs }: { logs: JobLog[] }) {
  if (logs.length === 0) return null;
  return (
    <section className="panel" aria-label="Job logs">
      <h2 style={{ marginTop: 0 }}>Logs · {logs.length}</h2>
      <table>
        <tbody>
          {logs.map((l, i) => (
            <tr key={i}>
              <td style={{ whiteSpace: "nowrap" }}>{nsToDate(l.timeUnixNano).toLocaleTimeString()}</td>
              <td>{l.service}</td>
              <td>{l.severityText}</td>
              <td className="mono" style={{ wordBreak: "break-word" }}>{typeof l.body === "string" ? l.body : JSON.stringify(l.body)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
