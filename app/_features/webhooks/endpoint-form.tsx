"use client";
// The add-endpoint form; on success it shows the signing secret once.
import { useState, type FormEvent } from "react";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoint-schemas";
import { apiCall } from "../../_components/api-client";
import { EVENT_LABELS } from "./format";

export function EndpointForm({ onCreated }: { onCreated: (e: WebhookEndpointView) => void }) {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const services = String(form.get("services") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    setBusy(true);
    setError(null);
    const r = await apiCall<{ endpoint: WebhookEndpointView; secret: string }>("POST", "/api/v1/webhooks", {
      name: form.get("name"),
      url: form.get("url"),
      format: form.get("format"),
      events: form.getAll("events"),
      services,
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setCreated({ name: r.data.endpoint.name, secret: r.data.secret });
    onCreated(r.data.endpoint);
    formEl.reset();
  }

  return (
    <>
      <form onSubmit={submit} aria-label="Add webhook endpoint" className="form-grid">
        <label>Name<input name="name" required maxLength={100} placeholder="e.g. pagerduty-bridge" /></label>
        <label>URL<input name="url" type="url" required placeholder="https://hooks.example.com/tailguard" /></label>
        <label>
          Format
          <select name="format" defaultValue="alertmanager">
            <option value="alertmanager">Alertmanager (webhook v4)</option>
            <option value="tailguard">Tailguard JSON</option>
          </select>
        </label>
        <label>Services (comma-separated, empty for all)<input name="services" placeholder="api, worker" /></label>
        <fieldset className="checks" style={{ border: 0, padding: 0, margin: 0, gridColumn: "1 / -1" }}>
          <legend className="muted" style={{ fontSize: 13 }}>Events</legend>
          {Object.entries(EVENT_LABELS).map(([type, label]) => (
            <label key={type}>
              <input type="checkbox" name="events" value={type} defaultChecked={type.startsWith("slo.alert.")} /> {label}
            </label>
          ))}
        </fieldset>
        <div>
          <button className="primary" type="submit" disabled={busy}>{busy ? "Adding…" : "Add endpoint"}</button>
        </div>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {created && (
        <div className="secret" role="status">
          <strong>Endpoint “{created.name}” added.</strong> Copy its signing secret now: it is shown only once. Receivers verify the
          <code> webhook-signature</code> header with it.
          <div style={{ marginTop: 8 }}><code data-testid="new-webhook-secret">{created.secret}</code></div>
          <button style={{ marginTop: 8 }} onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
    </>
  );
}
