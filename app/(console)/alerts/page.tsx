import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>Alerts & Webhooks</h1>
      <p className="lead">Burn-rate alerts and where they are delivered.</p>
      <EmptyState title="No alerts and no webhook endpoints">
        Multi-window multi-burn-rate alerts for each SLO appear here with their state. Webhook endpoints (Alertmanager-compatible or Tailguard JSON, HMAC-signed) and every delivery attempt are managed on this page.
      </EmptyState>
    </>
  );
}
