// Command line: `tsx sample-system/cli.ts --scenario NAME [--rate R] [--duration D] [--mode M]`
// runs the sample system under a scenario and writes its ground truth; `--no-load` only runs it.
// `--scenario canary` runs a second worker release beside the baseline and shifts a share of jobs to it.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { CANARY_FAULTS, CANARY_FAULT_SETTINGS } from "./canary/release";
import { startSampleSystem } from "./index";
import { parseDurationMs, planScenario, SCENARIO_NAMES } from "./load/scenarios";
import { runScenario } from "./load/scenario-run";

const USAGE = `usage: tsx sample-system/cli.ts --scenario ${SCENARIO_NAMES.join("|")} [--rate R/s] [--duration 6m] [--mode sync|async|async+cache]
       [--port 8080] [--metrics-port 9464] [--max-in-flight 2000] [--max-requests N] [--ground-truth FILE] [--no-load] [--demo]
       [--service-version 1.0.0] [--canary-share 0.2] [--canary-fault ${CANARY_FAULTS.join("|")}] [--canary-version V] [--canary-start 2m]
env:   AMQP_URL, SAMPLE_DATABASE_URL, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT (default http://127.0.0.1:4318), SAMPLE_SERVICE_VERSION`;

// Below the demo's grace period (8 s): the sample system ends itself before anyone has to kill it.
const STOP_DEADLINE_MS = 6_000;

const ArgsSchema = z.object({
  scenario: z.enum(SCENARIO_NAMES).default("steady"),
  rate: z.coerce.number().positive().optional(),
  duration: z.string().transform(parseDurationMs).optional(),
  mode: z.enum(["sync", "async", "async+cache"]).optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  "metrics-port": z.coerce.number().int().min(0).max(65535).optional(),
  "max-in-flight": z.coerce.number().int().positive().default(2000),
  "max-requests": z.coerce.number().int().positive().default(1_000_000),
  "ground-truth": z.string().optional(),
  "no-load": z.boolean().default(false),
  "service-version": z.string().min(1).optional(),
  "canary-share": z.coerce.number().min(0).max(1).default(0.2),
  "canary-fault": z.enum(CANARY_FAULTS).default("slow"),
  "canary-version": z.string().min(1).optional(),
  "canary-start": z.string().transform(parseDurationMs).optional(),
  /** Tailguard's demo: load runs until the process is stopped (10/s unless --rate), progress once a minute. */
  demo: z.boolean().default(false),
  help: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" }, rate: { type: "string" }, duration: { type: "string" }, mode: { type: "string" }, port: { type: "string" },
      "metrics-port": { type: "string" }, "max-in-flight": { type: "string" }, "max-requests": { type: "string" }, "ground-truth": { type: "string" },
      "no-load": { type: "boolean" }, demo: { type: "boolean" }, help: { type: "boolean", short: "h" }, "service-version": { type: "string" },
      "canary-share": { type: "string" }, "canary-fault": { type: "string" }, "canary-version": { type: "string" }, "canary-start": { type: "string" },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success || parsed.data.help) {
    if (!parsed.success) console.error(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
    console.error(USAGE);
    process.exit(parsed.success ? 0 : 2);
  }
  const args = parsed.data;
  const plan = planScenario({
    scenario: args.scenario,
    ratePerS: args.rate ?? (args.demo ? 10 : undefined),
    durationMs: args.duration ?? (args.demo ? 7 * 24 * 3600_000 : undefined),
    mode: args.mode,
    canary: { share: args["canary-share"], fault: args["canary-fault"], startOffsetMs: args["canary-start"] },
  });
  const canary = plan.canary && { share: plan.canary.share, fault: plan.canary.fault, version: args["canary-version"] };
  const system = await startSampleSystem({ mode: plan.mode, apiPort: args.port, metricsPort: args["metrics-port"], serviceVersion: args["service-version"], canary });
  const c = system.config;
  console.log(`sample system (${c.mode}) API ${system.apiUrl}, metrics ${system.metricsUrl ?? "off"}, queue ${system.queue?.system ?? "none"}, DB ${c.databaseUrl ? "PostgreSQL" : "PGlite"}, cache ${c.mode === "async+cache" ? (c.redisUrl ? "Redis" : "memory") : "off"}, OTLP ${c.otlpEndpoint ?? "off"}, version ${c.serviceVersion}`);
  if (system.canary && plan.canary) {
    const s = CANARY_FAULT_SETTINGS[plan.canary.fault];
    console.log(`canary ${system.canary.version} (fault ${plan.canary.fault}: ${s.serviceTimeFactor}× service time, ${s.failureRatio * 100} % failures): ${system.canary.workers} worker(s) on queue ${system.canary.queue}${system.canary.metricsUrl ? `, metrics ${system.canary.metricsUrl}` : ""}; takes ${Math.round(plan.canary.share * 100)} % of jobs from +${plan.canary.startOffsetMs / 1000}s`);
  }

  const abort = new AbortController();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await system.stop();
    process.exit(code);
  };
  let signalled = false;
  const onSignal = () => {
    if (signalled) return;
    signalled = true;
    // Whoever sent the signal (the demo, a terminal) waits for us: stop within the bound, whatever hangs.
    setTimeout(() => {
      console.error(`sample system: not stopped within ${STOP_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    if (args["no-load"]) void stop(0);
    else abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  if (args["no-load"]) {
    // No timeline to shift traffic later: the canary takes its share at once.
    if (plan.canary) system.setKnobs({ canaryShare: plan.canary.share });
    console.log("running without load; Ctrl-C stops");
    return;
  }
  const groundTruthPath = args["ground-truth"] ?? join(".data", "sample-runs", `${new Date().toISOString().replace(/[:.]/g, "-")}-${plan.scenario}.json`);
  let lastProgressMs = 0;
  const logProgress = (line: string) => {
    if (args.demo && Date.now() - lastProgressMs < 60_000) return;
    lastProgressMs = Date.now();
    console.log(`[sample-system] ${line}`);
  };
  const f = plan.fault;
  console.log(`scenario ${plan.scenario}: ${plan.baseRatePerS}/s for ${plan.durationMs / 1000}s${f ? `; fault ${f.kind} on ${f.resource} from +${f.startOffsetMs / 1000}s to +${f.endOffsetMs / 1000}s` : ""}; ground truth ${groundTruthPath}`);
  const { summary } = await runScenario({ system, plan, groundTruthPath, maxInFlight: args["max-in-flight"], maxRequests: args["max-requests"], signal: abort.signal, onProgress: (l) => (!args.demo || l.startsWith("t=") ? logProgress(l) : undefined) });
  console.log(`done: ${JSON.stringify(summary)}`);
  await stop(0);
}

// A promise nobody awaited that failed is a bug to log, not a reason to drop every request in flight.
process.on("unhandledRejection", (reason) => console.error(`sample system: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));

main().catch((err: Error) => {
  console.error(`sample system: ${err.message}`);
  process.exit(1);
});
