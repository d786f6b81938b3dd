"use client";
// Edit one scope's threshold overrides (all services, or one service), seeing for every threshold the value detection
// will use and where it comes from, updated as you type.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { DETECTOR_LABELS, THRESHOLD_META, DETECTORS, explainThresholds, type ThresholdConfig, type ThresholdOrigin } from "@/lib/signals/browser";
import type { ResponseOf } from "@/lib/api/browser";
import { apiCall } from "../../_components/api-client";
import { fieldErrorsFromApi, formToOverrides, overridesToForm, thresholdValueLabel, type ThresholdFieldErrors } from "./thresholds-form";

type Props = { initial: ResponseOf<"getDetectionThresholds">; knownServices: string[]; canEdit: boolean };

function originLabel(o: ThresholdOrigin, viewingService: boolean): string {
  if (o.source === "built-in") return "built-in";
  return `${o.source} · ${o.scope === "service" ? (viewingService ? "this service" : "service") : "all services"}`;
}

export function ThresholdsEditor({ initial, knownServices, canEdit }: Props) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const service = view.effective.service;
  const scopeOverrides = (c: ThresholdConfig) => (service === null ? c.defaults : c.services[service]);
  const [values, setValues] = useState(() => overridesToForm(scopeOverrides(initial.console)));
  const [errors, setErrors] = useState<ThresholdFieldErrors>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [otherService, setOtherService] = useState("");

  const saved = overridesToForm(scopeOverrides(view.console));
  const dirty = Object.keys(values).some((k) => values[k] !== saved[k]);
  const parsed = formToOverrides(values);
  // What detection would use once saved: the edited scope in place of the saved one.
  const edited: ThresholdConfig | null = !parsed.ok ? null
    : service === null ? { ...view.console, defaults: parsed.overrides } : { ...view.console, services: { ...view.console.services, [service]: parsed.overrides } };
  const preview = edited ? explainThresholds([{ source: "environment", config: view.environment }, { source: "console", config: edited }], service) : view.effective;

  const goTo = (name: string | null) => router.push(name ? `/signals/thresholds?service=${encodeURIComponent(name)}` : "/signals/thresholds");

  async function save(overrides: unknown) {
    setBusy(true);
    setStatus(null);
    const r = await apiCall("saveScopeThresholds", { body: { service, overrides } });
    setBusy(false);
    if (!r.ok) {
      setErrors(fieldErrorsFromApi(r.details));
      return setStatus({ ok: false, text: `Not saved: ${r.message}` });
    }
    setView(r.data);
    setValues(overridesToForm(scopeOverrides(r.data.console)));
    setErrors({});
    setStatus({ ok: true, text: "Saved. Detection uses these from its next pass (within 10 s)." });
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return setStatus({ ok: false, text: "Some values are not valid; see the marked boxes." });
    }
    void save(parsed.overrides);
  }

  const scopeName = service === null ? "all services" : service;
  return (
    <>
      <section className="panel">
        <div className="row" style={{ gap: 12, alignItems: "end", flexWrap: "wrap" }}>
          <label>
            Scope
            <select value={service ?? ""} onChange={(e) => goTo(e.target.value || null)}>
              <option value="">All services</option>
              {[...new Set([...knownServices, ...(service ? [service] : [])])].sort().map((s) => (
                <option key={s} value={s}>{s}{view.services.includes(s) ? " (has overrides)" : ""}</option>
              ))}
            </select>
          </label>
          <form className="row" style={{ gap: 6, alignItems: "end" }} onSubmit={(e) => { e.preventDefault(); if (otherService.trim()) goTo(otherService.trim()); }}>
            <label>Another service<input value={otherService} onChange={(e) => setOtherService(e.target.value)} placeholder="service.name" /></label>
            <button type="submit">Open</button>
          </form>
        </div>
        {view.storedError && (
          <p className="error" role="alert">The saved overrides no longer validate and are ignored until saved again: {view.storedError}</p>
        )}
        {!canEdit && <p className="muted">You can read these; changing them needs the write scope (editor or admin role).</p>}
      </section>

      <form onSubmit={submit} aria-label={`Thresholds for ${scopeName}`} noValidate>
        {DETECTORS.map((d) => (
          <section className="panel" key={d} aria-labelledby={`detector-${d}`}>
            <h2 id={`detector-${d}`}>{DETECTOR_LABELS[d].title}</h2>
            <p className="muted" style={{ marginTop: 0 }}>{DETECTOR_LABELS[d].help}</p>
            <table>
              <thead>
                <tr><th>Threshold</th><th>In effect</th><th>From</th><th>Override for {scopeName}</th></tr>
              </thead>
              <tbody>
                {Object.entries(THRESHOLD_META[d]).map(([field, meta]) => {
                  const key = `${d}.${field}`;
                  const value = (preview.thresholds[d] as Record<string, number>)[field] as number;
                  const origin = (preview.origins[d] as Record<string, ThresholdOrigin>)[field] as ThresholdOrigin;
                  const errorId = `threshold-${key.replace(".", "-")}-error`;
                  return (
                    <tr key={key} data-testid="threshold-row" data-key={key}>
                      <td>
                        <b>{meta.label}</b> <code className="muted" style={{ fontSize: 12 }}>{field}</code>
                        <div className="muted" style={{ fontSize: 13, maxWidth: 520 }}>{meta.help}</div>
                      </td>
                      <td data-testid="threshold-effective" style={{ whiteSpace: "nowrap" }}>{thresholdValueLabel(value, meta.unit)}</td>
                      <td><span className={`badge ${origin.source === "built-in" ? "" : "warn"}`} style={{ whiteSpace: "nowrap" }} data-testid="threshold-origin">{originLabel(origin, service !== null)}</span></td>
                      <td>
                        <input
                          aria-label={`${meta.label} override`}
                          inputMode="decimal"
                          style={{ width: 110 }}
                          value={values[key] ?? ""}
                          placeholder="inherit"
                          disabled={!canEdit}
                          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
                          {...(errors[key] ? { "aria-invalid": true, "aria-describedby": errorId } : {})}
                        />
                        {errors[key] && <div className="field-error" id={errorId}>{errors[key]}</div>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))}
        {canEdit && (
          <div className="row" style={{ gap: 8, alignItems: "center", position: "sticky", bottom: 0, background: "var(--bg, #fff)", padding: "10px 0", borderTop: "1px solid var(--line)" }}>
            <button className="primary" type="submit" disabled={busy || !dirty}>{busy ? "Saving…" : `Save overrides for ${scopeName}`}</button>
            <button type="button" disabled={busy || Object.values(saved).every((v) => v === "")} onClick={() => void save({})}>Clear all overrides for {scopeName}</button>
            {dirty && !status && <span className="muted">Unsaved changes; “In effect” shows what saving would give.</span>}
            {status && <span className={status.ok ? "muted" : "error"} role={status.ok ? "status" : "alert"}>{status.text}</span>}
          </div>
        )}
      </form>
    </>
  );
}
