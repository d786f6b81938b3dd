// The engine's webhook job: one dispatcher per database in this process, kicked every tick; sends
// run in the background so a slow receiver never holds up SLO evaluation.
import type { Database } from "../../db/client";
import type { AppContext } from "../../context/app-context";
import { createWebhookDispatcher, type WebhookDispatcher } from "./dispatcher";
import { dispatcherSettings } from "./settings";

const dispatchers = new WeakMap<Database, WebhookDispatcher>();

export async function dispatchDueWebhooks(ctx: { db: Database; app: Pick<AppContext, "config" | "metrics" | "sessionKey" | "logger"> }): Promise<number> {
  let dispatcher = dispatchers.get(ctx.db);
  if (!dispatcher) {
    const { app } = ctx;
    dispatcher = createWebhookDispatcher({ db: ctx.db, logger: app.logger, metrics: app.metrics, serverKey: app.sessionKey, settings: dispatcherSettings(app.config) });
    dispatchers.set(ctx.db, dispatcher);
  }
  return dispatcher.tick();
}
