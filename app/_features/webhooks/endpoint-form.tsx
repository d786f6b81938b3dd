"use client";
// The add-endpoint form; on success it shows the signing secret once.
import { useState, type FormEvent } from "react";
import type { WebhookEndpointView, WebhookEventType, WebhookFormat } from "@/lib/webhooks/browser";
import { apiCall } from "../../_components/api-client";
import { splitServices } from "./endpoint-edit";
import { EVENT_LABELS } from "./format";
import { SecretNotice } from "./secret-notice";

export function EndpointForm({ onCreated }: { onCreated: (e: WebhookEndpointView) => void }) {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const services = splitServices(String(form.get("services") ?? ""));
    setBusy(true);
    setError(null);
    // The select's and the boxes' values are the formats and event types the contract lists.
    const r = await apiCall("createWebhook", {
      body: {
        name: String(form.get("name") ?? ""),
        url: String(form.get("url") ?? ""),
        format: form.get("format") as WebhookFormat,
        events: form.getAll("events") as WebhookEventType[],
        services,
      },
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
      {created && <SecretNotice title={<>Endpoint “{created.name}” added.</>} secret={created.secret} onDone={() => setCreated(null)} />}
    </>
  );
}
