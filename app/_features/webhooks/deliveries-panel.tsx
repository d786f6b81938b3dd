"use client";
// Recent deliveries with their attempts, a status filter (incl. the dead-letter queue) and Redeliver.
import { useCallback, useEffect, useState } from "react";
import type { DELIVERY_STATUSES, WebhookDeliveryView } from "@/lib/webhooks/browser";
import { apiCall } from "../../_components/api-client";
import { deliveryBadge, deliveryStatusLabel, shortTime } from "./format";

const FILTERS: { value: "" | (typeof DELIVERY_STATUSES)[number]; label: string }[] = [
  { value: "", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "delivered", label: "Delivered" },
  { value: "dead", label: "Dead letter" },
];

export function DeliveriesPanel({ initial, refreshKey, canWrite }: { initial: WebhookDeliveryView[]; refreshKey: number; canWrite: boolean }) {
  const [deliveries, setDeliveries] = useState(initial);
  const [status, setStatus] = useState<(typeof FILTERS)[number]["value"]>("");
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await apiCall("listWebhookDeliveries", { query: { limit: 50, status: status || undefined } });
    if (r.ok) setDeliveries(r.data.deliveries);
    else setError(r.message);
  }, [status]);

  // Poll while the page is open, so queued deliveries turn delivered or dead in front of the user.
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 2_000);
    return () => clearInterval(timer);
  }, [load, refreshKey]);

  async function redeliver(d: WebhookDeliveryView) {
    const r = await apiCall("redeliverWebhook", { params: { id: d.id } });
    if (!r.ok) return setError(r.message);
    await load();
  }

  return (
    <section className="panel" aria-labelledby="deliveries-h">
      <h2 id="deliveries-h" style={{ marginTop: 0 }}>Deliveries</h2>
      <div className="tabs" role="tablist" aria-label="Delivery status">
        {FILTERS.map((f) => (
          <button key={f.value} role="tab" aria-selected={status === f.value} onClick={() => setStatus(f.value)}>{f.label}</button>
        ))}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <table>
        <thead><tr><th>Created</th><th>Endpoint</th><th>Event</th><th>Status</th><th>Attempts</th><th>Last result</th><th /></tr></thead>
        <tbody>
          {deliveries.length === 0 && <tr><td colSpan={7} className="muted">No deliveries{status ? ` with status ${deliveryStatusLabel(status)}` : ""}.</td></tr>}
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery-row">
              <td>{shortTime(d.createdAt)}</td>
              <td>{d.endpointName}</td>
              <td>
                <div>{d.summary || d.eventType}</div>
                <div className="muted mono" title="webhook-id">{d.id}</div>
              </td>
              <td><span className={`badge ${deliveryBadge(d.status)}`}>{deliveryStatusLabel(d.status)}</span></td>
              <td>
                <details>
                  <summary>{d.attempts}</summary>
                  <ul style={{ margin: 0, paddingLeft: 16 }}>
                    {d.attemptLog.map((a, i) => (
                      <li key={i} className="muted">
                        {shortTime(a.startedAt)} · {a.statusCode ?? "no response"} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ""}
                        {a.responseExcerpt ? <pre style={{ maxHeight: 120, overflow: "auto" }}>{a.responseExcerpt}</pre> : null}
                      </li>
                    ))}
                  </ul>
                </details>
              </td>
              <td>{d.status === "pending" ? `next ${shortTime(d.nextAttemptAt)}` : d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "–")}</td>
              <td>{canWrite && d.status !== "pending" && <button onClick={() => redeliver(d)}>Redeliver</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
