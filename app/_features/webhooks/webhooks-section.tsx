"use client";
// Endpoints and deliveries side by side: a test event sent from one refreshes the other.
import { useState } from "react";
import type { WebhookDeliveryView, WebhookEndpointView } from "@/lib/webhooks/browser";
import { DeliveriesPanel } from "./deliveries-panel";
import { EndpointsPanel } from "./endpoints-panel";

export function WebhooksSection(props: { endpoints: WebhookEndpointView[]; deliveries: WebhookDeliveryView[]; canWrite: boolean }) {
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <>
      <EndpointsPanel initial={props.endpoints} canWrite={props.canWrite} onDeliveriesChanged={() => setRefreshKey((k) => k + 1)} />
      <DeliveriesPanel initial={props.deliveries} canWrite={props.canWrite} refreshKey={refreshKey} />
    </>
  );
}
