// Server-rendered tables of firing SLO alerts and recent alert events.
import Link from "next/link";
import type { AlertEventRow, FiringAlert } from "@/lib/slo";
import { shortTime } from "./format";

export function FiringAlertsPanel({ alerts }: { alerts: FiringAlert[] }) {
  return (
    <section className="panel" aria-labelledby="firing-h">
      <h2 id="firing-h" style={{ marginTop: 0 }}>Firing now</h2>
      {alerts.length === 0 ? (
        <p className="muted">No SLO alert is firing.</p>
      ) : (
        <table>
          <thead><tr><th>SLO</th><th>Service</th><th>Alert</th><th>Since</th><th>Summary</th></tr></thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={`${a.sloName}:${a.key}`} data-testid="firing-alert-row">
                <td><Link href={`/slos/${a.sloName}`}>{a.sloName}</Link></td>
                <td>{a.service}</td>
                <td><span className={`badge ${a.severity === "page" ? "bad" : "warn"}`}>{a.key}</span></td>
                <td>{shortTime(a.since)}</td>
                <td>{a.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AlertEventsPanel({ events }: { events: AlertEventRow[] }) {
  if (events.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="events-h">
      <h2 id="events-h" style={{ marginTop: 0 }}>Recent alert events</h2>
      <table>
        <thead><tr><th>When</th><th>SLO</th><th>Event</th><th>Alert</th><th>Summary</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{shortTime(e.at)}</td>
              <td><Link href={`/slos/${e.sloName}`}>{e.sloName}</Link></td>
              <td><span className={`badge ${e.type === "firing" ? "bad" : "ok"}`}>{e.type}</span></td>
              <td>{e.key}</td>
              <td>{e.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
