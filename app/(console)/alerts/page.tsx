import { hasScope } from "@/lib/auth";
import { listFiringAlerts, listRecentAlertEvents } from "@/lib/slo";
import { listWebhookDeliveries, listWebhookEndpoints } from "@/lib/webhooks";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { AlertEventsPanel, FiringAlertsPanel } from "../../_features/webhooks/alerts-panels";
import { WebhooksSection } from "../../_features/webhooks/webhooks-section";
import { requireUser } from "../../_lib/session";

export default async function AlertsPage() {
  const user = await requireUser();
  const { db } = getAppContext();
  const [firing, events, endpoints, deliveries] = await Promise.all([listFiringAlerts(db), listRecentAlertEvents(db), listWebhookEndpoints(db), listWebhookDeliveries(db, { limit: 50 })]);
  const nothingYet = firing.length === 0 && events.length === 0 && endpoints.length === 0;
  return (
    <>
      <h1>Alerts & Webhooks</h1>
      <p className="lead">Burn-rate alerts and where they are delivered.</p>
      {nothingYet ? (
        <EmptyState title="No alerts and no webhook endpoints">
          Multi-window multi-burn-rate alerts for each SLO appear here with their state. Webhook endpoints (Alertmanager-compatible or Tailguard JSON,
          signed per Standard Webhooks) and every delivery attempt are managed on this page.
        </EmptyState>
      ) : (
        <>
          <FiringAlertsPanel alerts={firing} />
          <AlertEventsPanel events={events} />
        </>
      )}
      <WebhooksSection endpoints={endpoints} deliveries={deliveries} canWrite={hasScope(user, "write")} />
    </>
  );
}
