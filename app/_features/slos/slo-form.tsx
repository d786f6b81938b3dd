"use client";
// New SLO: a form validated live with the same schema the API uses, or OpenSLO YAML applied with a diff preview.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { parseSloDefinition } from "@/lib/slo/browser";
import { apiCall } from "../../_components/api-client";
import { OpenSloEditor } from "./openslo-editor";

type Kind = "availability" | "latency" | "jobCompletion" | "queueWait";
const INITIAL = { name: "", service: "", description: "", kind: "availability" as Kind, spanKind: "server", route: "", thresholdMs: "300", queue: "", objectivePercent: "99.9", window: "28" };

function toDefinition(f: typeof INITIAL): unknown {
  const selector = { service: f.service, ...(f.spanKind ? { spanKind: f.spanKind } : {}), ...(f.route ? { route: f.route } : {}) };
  const thresholdMs = Number(f.thresholdMs);
  const sli =
    f.kind === "availability" ? { kind: f.kind, selector }
    : f.kind === "latency" ? { kind: f.kind, selector, thresholdMs }
    : f.kind === "jobCompletion" ? { kind: f.kind, service: f.service || undefined, queue: f.queue || undefined, thresholdMs }
    : { kind: f.kind, destination: f.queue, thresholdMs };
  const window = f.window === "month" ? { type: "calendarMonth" } : { type: "rolling", durationDays: Number(f.window) };
  return { name: f.name, service: f.service, description: f.description, sli, objectivePercent: f.objectivePercent, window };
}

export function SloForm() {
  const [tab, setTab] = useState<"form" | "yaml">("form");
  const [f, setF] = useState(INITIAL);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const result = useMemo(() => parseSloDefinition(toDefinition(f)), [f]);
  const issues = result.ok ? [] : result.issues;
  const errorFor = (...fields: string[]) => issues.find((i) => fields.some((field) => i.field === field || i.field.startsWith(`${field}.`)))?.message;
  const set = (key: keyof typeof INITIAL) => (e: { target: { value: string } }) => {
    setF({ ...f, [key]: e.target.value });
    setTouched({ ...touched, [key]: true });
  };
  const shown = (key: string, ...fields: string[]) => (touched[key] ? errorFor(...fields) : undefined);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(Object.fromEntries(Object.keys(INITIAL).map((k) => [k, true])));
    if (!result.ok) return;
    setBusy(true);
    const r = await apiCall("createSlo", { body: toDefinition(f) });
    setBusy(false);
    if (!r.ok) return setServerError(r.message);
    router.push(`/slos/${r.data.slo.definition.name}`);
    router.refresh();
  }

  const needsThreshold = f.kind !== "availability";
  const needsQueue = f.kind === "jobCompletion" || f.kind === "queueWait";
  return (
    <div className="panel">
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === "form"} onClick={() => setTab("form")}>Form</button>
        <button role="tab" aria-selected={tab === "yaml"} onClick={() => setTab("yaml")}>OpenSLO YAML</button>
      </div>
      {tab === "yaml" ? (
        <OpenSloEditor />
      ) : (
        <form onSubmit={submit} aria-label="New SLO" noValidate>
          <div className="form-grid">
            <label>Name<input value={f.name} onChange={set("name")} placeholder="api-availability" /><span className="field-error">{shown("name", "name")}</span></label>
            <label>Service<input value={f.service} onChange={set("service")} placeholder="service.name of the spans" /><span className="field-error">{shown("service", "service", "sli.selector.service")}</span></label>
            <label>SLI
              <select value={f.kind} onChange={set("kind")}>
                <option value="availability">availability (no error status)</option>
                <option value="latency">latency (duration ≤ threshold)</option>
                <option value="jobCompletion">job completion (end to end, by job ID)</option>
                <option value="queueWait">queue wait (enqueue → consume)</option>
              </select>
            </label>
            {(f.kind === "availability" || f.kind === "latency") && (
              <>
                <label>Span kind
                  <select value={f.spanKind} onChange={set("spanKind")}>
                    <option value="server">server</option><option value="consumer">consumer</option><option value="client">client</option><option value="producer">producer</option><option value="internal">internal</option><option value="">any</option>
                  </select>
                </label>
                <label>Route (optional)<input value={f.route} onChange={set("route")} placeholder="/v1/jobs" /></label>
              </>
            )}
            {needsQueue && <label>Queue<input value={f.queue} onChange={set("queue")} placeholder="jobs" /><span className="field-error">{shown("queue", "sli.destination", "sli")}</span></label>}
            {needsThreshold && <label>Threshold (ms)<input inputMode="numeric" value={f.thresholdMs} onChange={set("thresholdMs")} /><span className="field-error">{shown("thresholdMs", "sli.thresholdMs")}</span></label>}
            <label>Objective (%)<input inputMode="decimal" value={f.objectivePercent} onChange={set("objectivePercent")} /><span className="field-error">{shown("objectivePercent", "objectivePercent")}</span></label>
            <label>Window
              <select value={f.window} onChange={set("window")}>
                <option value="7">rolling 7 days</option><option value="28">rolling 28 days</option><option value="30">rolling 30 days</option><option value="month">calendar month</option>
              </select>
            </label>
            <label style={{ gridColumn: "1 / -1" }}>Description<input value={f.description} onChange={set("description")} placeholder="What users experience when this SLO is met" /></label>
          </div>
          <p className="muted" style={{ fontSize: 13 }}>
            Alerts use the SRE workbook's multi-window multi-burn-rate defaults: page at 2 % of the budget in 1 h (and 5 m) or 5 % in 6 h (and 30 m); ticket at 10 % in 1 d or 3 d.
          </p>
          <button className="primary" type="submit" disabled={busy || (!result.ok && Object.keys(touched).length > 0)}>{busy ? "Creating…" : "Create SLO"}</button>
          {serverError && <p className="error" role="alert">{serverError}</p>}
        </form>
      )}
    </div>
  );
}
