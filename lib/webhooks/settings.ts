// Webhook settings derived once from the validated config, for the dispatcher and the services.
import type { ServiceContext } from "../auth/service-context";
import type { Config } from "../config/env";
import type { AppContext } from "../runtime/context";
import type { DispatcherSettings } from "./dispatcher";
import type { WebhookServiceContext } from "./endpoints";

export function publicUrl(config: Config): string {
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  return (config.TAILGUARD_PUBLIC_URL ?? `http://${host}:${config.PORT}`).replace(/\/+$/, "");
}

export function dispatcherSettings(config: Config): DispatcherSettings {
  return {
    timeoutMs: config.TAILGUARD_WEBHOOK_TIMEOUT_MS,
    concurrencyPerEndpoint: config.TAILGUARD_WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    allowPrivateNetworks: config.TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    externalUrl: publicUrl(config),
  };
}

export function webhookServiceContext(svc: ServiceContext, app: Pick<AppContext, "config" | "sessionKey">): WebhookServiceContext {
  return { ...svc, serverKey: app.sessionKey, allowPrivateNetworks: app.config.TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS };
}
