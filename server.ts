// Tailguard's process entry: validates config, boots the context, then starts the parts this
// replica's role runs (console + API, OTLP receivers, engine) and stops them in order on SIGTERM.
import next from "next";
import { loadConfig } from "./lib/config/env";
import { DatabaseOpenError } from "./lib/db/client";
import { createLogger } from "./lib/observability/logger";
import { bootContext } from "./lib/runtime/boot";
import { setAppContext } from "./lib/context/app-context";
import { closeGracefully, listen, ListenError } from "./lib/runtime/listen";
import { createWebServer } from "./lib/runtime/web-server";
import { startReceivers } from "./lib/telemetry/receive/receivers";
import { engineJobs } from "./engine/catalog";
import { startEngine } from "./engine/loop";

async function main(): Promise<void> {
  const parsed = loadConfig(process.env);
  if (!parsed.ok) fatal(`invalid configuration:\n  ${parsed.problems.join("\n  ")}\nSee the settings table in README.md.`);
  const config = parsed.config;
  const logger = createLogger({ level: config.LOG_LEVEL, fields: { service: "tailguard", role: config.TAILGUARD_ROLE } });
  const announce = (lines: string[]) => process.stderr.write(`\n${lines.join("\n")}\n\n`);

  const app = await bootContext(config, logger, announce);
  setAppContext(app);
  const stops: (() => Promise<void>)[] = [];

  try {
    if (config.runsWeb) {
      const dev = process.argv.includes("--dev");
      const nextApp = next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT });
      await nextApp.prepare();
      const web = createWebServer(app, nextApp.getRequestHandler(), { dev });
      await listen(web, config.PORT, config.HOST, "the console and API");
      stops.push(() => closeGracefully(web, config.TAILGUARD_SHUTDOWN_GRACE_MS));
      logger.info("console listening", { url: `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${config.PORT}`, dev });
    }
    if (config.runsIngest) {
      const receivers = await startReceivers(app);
      stops.push(receivers.stop);
    }
    const engine = startEngine({ db: app.db, logger, metrics: app.metrics, instanceId: app.instanceId, intervalMs: config.TAILGUARD_ENGINE_INTERVAL_MS, jobs: engineJobs, mayLead: config.runsEngine, app });
    stops.push(engine.stop);
  } catch (err) {
    await stopAll(stops, app);
    throw err;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    void stopAll(stops, app).then(() => {
      logger.info("stopped");
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

// Stop accepting first (web, receivers), then the engine, then close the database.
async function stopAll(stops: (() => Promise<void>)[], app: { db: { close(): Promise<void> } }) {
  for (const stop of stops) await stop().catch(() => undefined);
  await app.db.close().catch(() => undefined);
}

function fatal(message: string): never {
  process.stderr.write(`tailguard: ${message}\n`);
  process.exit(1);
}

main().catch((err: unknown) => {
  if (err instanceof DatabaseOpenError || err instanceof ListenError) fatal(err.message);
  fatal(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
});
