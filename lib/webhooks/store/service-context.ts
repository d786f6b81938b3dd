// The webhook services' context: the caller's service context plus the server key and the private-network switch.
import type { ServiceContext } from "../../context/service-context";
import type { AppContext } from "../../context/app-context";
import type { WebhookServiceContext } from "./endpoints";

export function webhookServiceContext(svc: ServiceContext, app: Pick<AppContext, "config" | "sessionKey">): WebhookServiceContext {
  return { ...svc, serverKey: app.sessionKey, allowPrivateNetworks: app.config.TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS };
}
