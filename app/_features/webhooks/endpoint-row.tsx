"use client";
// One endpoint in the table, with its actions; editing and a rotated secret open in a row beneath it.
import { useState } from "react";
import type { WebhookEndpointView } from "@/lib/webhooks/browser";
import { apiCall } from "../../_components/api-client";
import { EndpointEditForm } from "./endpoint-edit-form";
import { EVENT_LABELS } from "./format";
import { SecretNotice } from "./secret-notice";

export const ENDPOINT_COLUMNS = ["Endpoint", "Format", "Events", "Services", "Status", ""];

type Props = {
  endpoint: WebhookEndpointView;
  canWrite: boolean;
  onUpdated: (e: WebhookEndpointView, notice?: string) => void;
  onRemoved: (id: string) => void;
  onTestQueued: (e: WebhookEndpointView) => void;
  onError: (message: string) => void;
};

export function EndpointRow({ endpoint: e, canWrite, onUpdated, onRemoved, onTestQueued, onError }: Props) {
  const [editing, setEditing] = useState(false);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);

  async function toggle() {
    const r = await apiCall("updateWebhook", { params: { id: e.id }, body: { enabled: !e.enabled } });
    if (!r.ok) return onError(r.message);
    onUpdated(r.data.endpoint);
  }

  async function sendTest() {
    const r = await apiCall("testWebhook", { params: { id: e.id } });
    if (!r.ok) return onError(r.message);
    onTestQueued(e);
  }

  async function rotate() {
    const question = `Rotate the signing secret of "${e.name}"? The old secret stops working at once: every delivery from now on, queued retries included, is signed with the new one.`;
    if (!window.confirm(question)) return;
    const r = await apiCall("rotateWebhookSecret", { params: { id: e.id } });
    if (!r.ok) return onError(r.message);
    setEditing(false);
    setRotatedSecret(r.data.secret);
    onUpdated(r.data.endpoint);
  }

  async function remove() {
    if (!window.confirm(`Delete the endpoint "${e.name}" and its delivery history?`)) return;
    const r = await apiCall("deleteWebhook", { params: { id: e.id } });
    if (!r.ok) return onError(r.message);
    onRemoved(e.id);
  }

  return (
    <>
      <tr data-testid="webhook-row">
        <td>
          <div>{e.name}</div>
          <div className="mono muted" style={{ overflowWrap: "anywhere" }}>{e.url}</div>
        </td>
        <td>{e.format}</td>
        <td>{e.events.map((t) => <span key={t} className="badge" style={{ whiteSpace: "nowrap" }}>{EVENT_LABELS[t] ?? t}</span>)}</td>
        <td>{e.services.length ? e.services.join(", ") : <span className="muted">all</span>}</td>
        <td>{e.enabled ? <span className="badge ok">enabled</span> : <span className="badge">disabled</span>}</td>
        <td>
          {canWrite && (
            <div className="row" style={{ gap: 6, minWidth: 270 }}>
              <button onClick={() => void sendTest()} disabled={!e.enabled}>Send test</button>
              <button onClick={() => setEditing(!editing)} aria-expanded={editing}>Edit</button>
              <button onClick={() => void rotate()}>Rotate secret</button>
              <button onClick={() => void toggle()}>{e.enabled ? "Disable" : "Enable"}</button>
              <button className="danger" onClick={() => void remove()}>Delete</button>
            </div>
          )}
        </td>
      </tr>
      {(editing || rotatedSecret) && (
        <tr data-testid="webhook-row-detail">
          <td colSpan={ENDPOINT_COLUMNS.length}>
            {editing && (
              <EndpointEditForm
                endpoint={e}
                onCancel={() => setEditing(false)}
                onSaved={(saved) => {
                  setEditing(false);
                  onUpdated(saved, `Saved changes to ${saved.name}.`);
                }}
              />
            )}
            {rotatedSecret && <SecretNotice title={<>Secret of “{e.name}” rotated.</>} secret={rotatedSecret} onDone={() => setRotatedSecret(null)} />}
          </td>
        </tr>
      )}
    </>
  );
}
