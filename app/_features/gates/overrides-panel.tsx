"use client";
// Gate overrides: who let which release through and why; administrators grant and revoke them here.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { GateOverrideView } from "@/lib/gate/browser";
import { apiCall } from "../../_components/api-client";

export function OverridesPanel({ overrides, canManage }: { overrides: GateOverrideView[]; canManage: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function grant(form: FormData) {
    setBusy(true);
    setError(null);
    const services = String(form.get("services") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const version = String(form.get("version") ?? "").trim();
    const r = await apiCall("createGateOverride", {
      body: { services, reason: String(form.get("reason") ?? ""), expiresInMinutes: Number(form.get("minutes") ?? 60), ...(version ? { version } : {}) },
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    router.refresh();
  }

  async function revoke(id: string) {
    const r = await apiCall("revokeGateOverride", { params: { id } });
    if (!r.ok) return setError(r.message);
    router.refresh();
  }

  return (
    <section className="panel" aria-label="Overrides">
      <h2 style={{ marginTop: 0 }}>Overrides</h2>
      <p className="muted">An override lets releases of the named services pass a gate that would not, until it expires. Each one needs a reason and is in the audit log; evaluations it changed say so.</p>
      {overrides.length > 0 && (
        <table>
          <thead><tr><th>Services</th><th>Version</th><th>Reason</th><th>By</th><th>Until</th><th /></tr></thead>
          <tbody>
            {overrides.map((o) => (
              <tr key={o.id} data-testid="override-row">
                <td>{o.services.join(", ")}</td>
                <td className="mono">{o.version ?? "any"}</td>
                <td>{o.reason}</td>
                <td>{o.createdBy}</td>
                <td>{o.active ? new Date(o.expiresAt).toLocaleString() : <span className="badge">{o.revokedAt ? `revoked by ${o.revokedBy}` : "expired"}</span>}</td>
                <td>{o.active && canManage && <button type="button" onClick={() => void revoke(o.id)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage ? (
        <form action={(f) => void grant(f)} className="row" style={{ flexWrap: "wrap", gap: 8, marginTop: 12 }}>
          <label>Services <input name="services" placeholder="checkout, worker" required /></label>
          <label>Version <input name="version" placeholder="any" /></label>
          <label>Minutes <input name="minutes" type="number" min={1} max={10080} defaultValue={60} style={{ width: 80 }} /></label>
          <label style={{ flex: 1 }}>Reason <input name="reason" placeholder="why this release must go out now" minLength={10} required style={{ width: "100%" }} /></label>
          <button type="submit" disabled={busy}>Grant override</button>
        </form>
      ) : (
        <p className="muted">Only administrators grant overrides.</p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
