// What the console's browser code needs to start Faro, rendered into the page by the server so the collector
// URL follows TAILGUARD_FARO_URL without a rebuild.
import type { Config } from "../../config/env";
import { CONSOLE_APP_NAME, FARO_COLLECT_PATH } from "../core/console-app";

export type FaroClientConfig = { url: string; app: { name: string; version: string; environment: string } };

/** Null when the console's own telemetry is turned off. */
export function faroClientConfig(config: Pick<Config, "TAILGUARD_FARO_URL" | "NODE_ENV">, version: string): FaroClientConfig | null {
  if (config.TAILGUARD_FARO_URL === "off") return null;
  return { url: config.TAILGUARD_FARO_URL ?? FARO_COLLECT_PATH, app: { name: CONSOLE_APP_NAME, version, environment: config.NODE_ENV } };
}
