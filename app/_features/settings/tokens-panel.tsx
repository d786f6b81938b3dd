"use client";
import { useState, type FormEvent } from "react";
import type { Scope, TokenView } from "@/lib/auth/browser";
import { apiCall } from "../../_components/api-client";

const SCOPE_HELP: Record<string, string> = {
  ingest: "send OTLP telemetry",
  read: "read SLOs, services, jobs, signals",
  write: "change SLOs, webhooks, policies",
  gate: "ask the release gate",
  admin: "everything, incl. tokens and users",
};

export function TokensPanel({ initial }: { initial: TokenView[] }) {
  const [tokens, setTokens] = useState(initial);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setError(null);
    // The boxes' values are the scopes listed above.
    const r = await apiCall("createToken", { body: { name: String(form.get("name") ?? ""), scopes: form.getAll("scopes") as Scope[] } });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setTokens([r.data.token, ...tokens]);
    setCreated({ name: r.data.token.name, secret: r.data.secret });
    formEl.reset();
  }

  async function revoke(t: TokenView) {
    if (!window.confirm(`Revoke token "${t.name}"? Clients using it will be refused at once.`)) return;
    const r = await apiCall("revokeToken", { params: { id: t.id } });
    if (!r.ok) return setError(r.message);
    setTokens(tokens.map((x) => (x.id === t.id ? r.data.token : x)));
  }

  return (
    <section className="panel" aria-labelledby="tokens-h">
      <h2 id="tokens-h" style={{ marginTop: 0 }}>API tokens</h2>
      <form onSubmit={create} className="row" aria-label="Create API token">
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="e.g. github-actions-gate" />
        </label>
        <fieldset className="checks" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="muted" style={{ fontSize: 13 }}>Scopes</legend>
          {Object.entries(SCOPE_HELP).map(([scope, help]) => (
            <label key={scope} title={help}>
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "read"} /> {scope}
            </label>
          ))}
        </fieldset>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {created && (
        <div className="secret" role="status">
          <strong>Token “{created.name}” created.</strong> Copy it now: it is shown only once and stored only as a hash.
          <div style={{ marginTop: 8 }}>
            <code data-testid="new-token-secret">{created.secret}</code>
          </div>
          <button style={{ marginTop: 8 }} onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <table style={{ marginTop: 16 }}>
        <thead>
          <tr><th>Name</th><th>Token</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Status</th><th /></tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr><td colSpan={7} className="muted">No API tokens yet. Create one for an SDK (ingest), a dashboard (read) or a pipeline (gate).</td></tr>
          )}
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row">
              <td>{t.name}</td>
              <td className="mono">{t.prefix}…</td>
              <td>{t.scopes.map((s) => <span key={s} className="badge">{s}</span>)}</td>
              <td>{new Date(t.createdAt).toLocaleString()}{t.createdBy ? ` · ${t.createdBy}` : ""}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
              <td>{t.revokedAt ? <span className="badge bad">revoked</span> : <span className="badge ok">active</span>}</td>
              <td>{!t.revokedAt && <button className="danger" onClick={() => revoke(t)}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
