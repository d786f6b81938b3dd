"use client";
// Webhook endpoints: the add form, and per endpoint enable/disable, send test and delete.
import { useState } from "react";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoint-schemas";
import { apiCall } from "../../_components/api-client";
import { EndpointForm } from "./endpoint-form";
import { EVENT_LABELS } from "./format";

export function EndpointsPanel({ initial, canWrite, onDeliveriesChanged }: { initial: WebhookEndpointView[]; canWrite: boolean; onDeliveriesChanged: () => void }) {
  const [endpoints, setEndpoints] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function toggle(e: WebhookEndpointView) {
    const r = await apiCall<{ endpoint: WebhookEndpointView }>("PATCH", `/api/v1/webhooks/${e.id}`, { enabled: !e.enabled });
    if (!r.ok) return setError(r.message);
    setEndpoints(endpoints.map((x) => (x.id === e.id ? r.data.endpoint : x)));
  }

  async function sendTest(e: WebhookEndpointView) {
    const r = await apiCall<{ deliveryId: string }>("POST", `/api/v1/webhooks/${e.id}/test`);
    if (!r.ok) return setError(r.message);
    setNotice(`Test event queued for ${e.name}.`);
    onDeliveriesChanged();
  }

  async function remove(e: WebhookEndpointView) {
    if (!window.confirm(`Delete the endpoint "${e.name}" and its delivery history?`)) return;
    const r = await apiCall("DELETE", `/api/v1/webhooks/${e.id}`);
    if (!r.ok) return setError(r.message);
    setEndpoints(endpoints.filter((x) => x.id !== e.id));
    onDeliveriesChanged();
  }

  return (
    <section className="panel" aria-labelledby="endpoints-h">
      <h2 id="endpoints-h" style={{ marginTop: 0 }}>Webhook endpoints</h2>
      {canWrite && <EndpointForm onCreated={(e) => setEndpoints([...endpoints, e])} />}
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="muted" role="status">{notice}</p>}
      <table style={{ marginTop: 16 }}>
        <thead><tr><th>Name</th><th>URL</th><th>Format</th><th>Events</th><th>Services</th><th>Status</th><th /></tr></thead>
        <tbody>
          {endpoints.length === 0 && (
            <tr><td colSpan={7} className="muted">No endpoints yet. Add one to send signed alerts to a pager, chat or incident tool.</td></tr>
          )}
          {endpoints.map((e) => (
            <tr key={e.id} data-testid="webhook-row">
              <td>{e.name}</td>
              <td className="mono">{e.url}</td>
              <td>{e.format}</td>
              <td>{e.events.map((t) => <span key={t} className="badge">{EVENT_LABELS[t] ?? t}</span>)}</td>
              <td>{e.services.length ? e.services.join(", ") : <span className="muted">all</span>}</td>
              <td>{e.enabled ? <span className="badge ok">enabled</span> : <span className="badge">disabled</span>}</td>
              <td>
                {canWrite && (
                  <div className="row" style={{ gap: 6, flexWrap: "nowrap", whiteSpace: "nowrap" }}>
                    <button onClick={() => sendTest(e)} disabled={!e.enabled}>Send test</button>
                    <button onClick={() => toggle(e)}>{e.enabled ? "Disable" : "Enable"}</button>
                    <button className="danger" onClick={() => remove(e)}>Delete</button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
