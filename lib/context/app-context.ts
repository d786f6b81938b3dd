// The process-wide context (config, database, logger, metrics) that the server builds at start.
// Next.js bundles route handlers separately from server.ts, so it is shared through globalThis.
import type { Config } from "../config/env";
import type { Database } from "../db/client";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";

export type AppContext = {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  /** Key that signs session cookies: TAILGUARD_SECRET, or generated once and kept in the database. */
  sessionKey: string;
  instanceId: string;
  version: string;
  startedAt: Date;
};

const KEY = Symbol.for("tailguard.appContext");
type Holder = { [KEY]?: AppContext };

export function setAppContext(ctx: AppContext | undefined): void {
  (globalThis as Holder)[KEY] = ctx;
}

export function getAppContext(): AppContext {
  const ctx = (globalThis as Holder)[KEY];
  if (!ctx) throw new Error("Tailguard context is not initialised: start the console with `npm start` (server.ts), not `next start`");
  return ctx;
}
