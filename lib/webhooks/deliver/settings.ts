// The dispatcher's settings, derived once from the validated config.
import type { Config } from "../../config/env";
import type { DispatcherSettings } from "./dispatcher";

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
