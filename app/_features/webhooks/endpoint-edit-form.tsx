"use client";
// Edit one endpoint's settings; the fields start from its current values and saving sends only what changed.
import { useState, type FormEvent } from "react";
import type { WebhookEndpointView } from "@/lib/webhooks/browser";
import { apiCall } from "../../_components/api-client";
import { endpointPatchFromForm, endpointToFormValues, fieldErrorsOfApi, type EndpointField, type EndpointFormValues, type FieldErrors } from "./endpoint-edit";
import { EVENT_LABELS } from "./format";

type Props = { endpoint: WebhookEndpointView; onSaved: (e: WebhookEndpointView) => void; onCancel: () => void };

export function EndpointEditForm({ endpoint, onSaved, onCancel }: Props) {
  const [values, setValues] = useState<EndpointFormValues>(() => endpointToFormValues(endpoint));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends EndpointField>(key: K, value: EndpointFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  // Keep the listed order of event types, whatever order they are ticked in.
  const toggleEvent = (type: string, on: boolean) => set("events", Object.keys(EVENT_LABELS).filter((t) => (t === type ? on : values.events.includes(t))));
  const fieldError = (key: EndpointField) => errors[key] && <span className="field-error" id={`edit-${endpoint.id}-${key}-error`}>{errors[key]}</span>;
  const described = (key: EndpointField) => (errors[key] ? { "aria-invalid": true, "aria-describedby": `edit-${endpoint.id}-${key}-error` } : {});

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setServerError(null);
    const built = endpointPatchFromForm(endpoint, values);
    if (!built.ok) return setErrors(built.errors);
    setErrors({});
    if (Object.keys(built.patch).length === 0) return onCancel();
    setBusy(true);
    const r = await apiCall("updateWebhook", { params: { id: endpoint.id }, body: built.patch });
    setBusy(false);
    if (r.ok) return onSaved(r.data.endpoint);
    setErrors(fieldErrorsOfApi(r.details));
    setServerError(`Not saved: ${r.message}`);
  }

  return (
    <form onSubmit={submit} aria-label={`Edit webhook endpoint ${endpoint.name}`} className="form-grid" noValidate>
      <label>Name<input value={values.name} onChange={(e) => set("name", e.target.value)} maxLength={100} {...described("name")} />{fieldError("name")}</label>
      <label>URL<input type="url" value={values.url} onChange={(e) => set("url", e.target.value)} {...described("url")} />{fieldError("url")}</label>
      <label>
        Format
        <select value={values.format} onChange={(e) => set("format", e.target.value)}>
          <option value="alertmanager">Alertmanager (webhook v4)</option>
          <option value="tailguard">Tailguard JSON</option>
        </select>
        {fieldError("format")}
      </label>
      <label>Services (comma-separated, empty for all)<input value={values.services} onChange={(e) => set("services", e.target.value)} placeholder="api, worker" {...described("services")} />{fieldError("services")}</label>
      <label>Max attempts<input type="number" min={1} max={20} value={values.maxAttempts} onChange={(e) => set("maxAttempts", e.target.value)} {...described("maxAttempts")} />{fieldError("maxAttempts")}</label>
      <label style={{ flexDirection: "row", alignItems: "center", alignSelf: "end", color: "var(--ink)" }}>
        <input type="checkbox" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled
      </label>
      <fieldset className="checks" style={{ border: 0, padding: 0, margin: 0, gridColumn: "1 / -1" }} {...described("events")}>
        <legend className="muted" style={{ fontSize: 13 }}>Events</legend>
        {Object.entries(EVENT_LABELS).map(([type, label]) => (
          <label key={type}>
            <input type="checkbox" checked={values.events.includes(type)} onChange={(e) => toggleEvent(type, e.target.checked)} /> {label}
          </label>
        ))}
        {fieldError("events")}
      </fieldset>
      {serverError && <p className="error" role="alert" style={{ gridColumn: "1 / -1" }}>{serverError}</p>}
      <div className="row" style={{ gap: 6, gridColumn: "1 / -1" }}>
        <button className="primary" type="submit" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
