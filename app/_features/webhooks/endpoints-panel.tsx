"use client";
// Webhook endpoints: the add form and the table of endpoints, each with its own actions.
import { useState } from "react";
import type { WebhookEndpointView } from "@/lib/webhooks/browser";
import { EndpointForm } from "./endpoint-form";
import { ENDPOINT_COLUMNS, EndpointRow } from "./endpoint-row";

export function EndpointsPanel({ initial, canWrite, onDeliveriesChanged }: { initial: WebhookEndpointView[]; canWrite: boolean; onDeliveriesChanged: () => void }) {
  const [endpoints, setEndpoints] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const say = (message: { error?: string; notice?: string }) => {
    setError(message.error ?? null);
    setNotice(message.notice ?? null);
  };

  return (
    <section className="panel" aria-labelledby="endpoints-h">
      <h2 id="endpoints-h" style={{ marginTop: 0 }}>Webhook endpoints</h2>
      {canWrite && <EndpointForm onCreated={(e) => setEndpoints((xs) => [...xs, e])} />}
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="muted" role="status">{notice}</p>}
      <table style={{ marginTop: 16 }}>
        <thead><tr>{ENDPOINT_COLUMNS.map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
        <tbody>
          {endpoints.length === 0 && (
            <tr><td colSpan={ENDPOINT_COLUMNS.length} className="muted">No endpoints yet. Add one to send signed alerts to a pager, chat or incident tool.</td></tr>
          )}
          {endpoints.map((e) => (
            <EndpointRow
              key={e.id}
              endpoint={e}
              canWrite={canWrite}
              onUpdated={(updated, text) => {
                setEndpoints((xs) => xs.map((x) => (x.id === updated.id ? updated : x)));
                say({ notice: text });
              }}
              onRemoved={(id) => {
                setEndpoints((xs) => xs.filter((x) => x.id !== id));
                say({});
                onDeliveriesChanged();
              }}
              onTestQueued={(x) => {
                say({ notice: `Test event queued for ${x.name}.` });
                onDeliveriesChanged();
              }}
              onError={(message) => say({ error: message })}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
