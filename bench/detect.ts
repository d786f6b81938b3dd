// `npm run bench:detect`: runs every fault scenario of the sample system and a long steady run, each
// against a fresh Tailguard server (embedded PGlite, engine on), and judges the signals it opened
// against the scenario's ground truth: detected with the right kind and resource, time from fault
// onset to the signal opening, and false signals. Prints a table; the last line is one JSON object.
//
//   npm run bench:detect                                   # 5 faults × 6 min + steady 10 min (~50 min)
//   npm run bench:detect -- --scenarios gpu-slowdown,flaky-downstream --steady 0
//   npm run bench:detect -- --scenarios cache-stampede --steady 0 --log-level debug   # every detection pass on stderr
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { GroundTruth } from "../sample-system/load/ground-truth";
import type { SignalView } from "../lib/signals/store/signals";

const FAULTS = ["spike", "gpu-slowdown", "flaky-downstream", "db-pool-exhaustion", "cache-stampede"] as const;
/** What a correct detector reports for each fault: the kind, and a test on the resource. */
const EXPECTED: Record<string, { kind: SignalView["kind"]; resource: RegExp; label: string }> = {
  spike: { kind: "saturation", resource: /^queue jobs$/, label: "saturation: queue jobs" },
  "gpu-slowdown": { kind: "saturation", resource: /^queue jobs$/, label: "saturation: queue jobs" },
  "flaky-downstream": { kind: "retry_storm", resource: /^sample-worker->feature-store$/, label: "retry storm: sample-worker->feature-store" },
  "db-pool-exhaustion": { kind: "saturation", resource: /^db pool /, label: "saturation: db pool …" },
  "cache-stampede": { kind: "cache_stampede", resource: /^cache of /, label: "cache stampede: cache of …" },
};
/** A signal opened this long after the fault ended still belongs to it (the backlog drains). */
const AFTERMATH_MS = 3 * 60_000;
const TOKEN = "bench_detect_token_0123456789abcdef";

const { values: args } = parseArgs({
  options: { scenarios: { type: "string", default: FAULTS.join(",") }, steady: { type: "string", default: "10m" }, duration: { type: "string" }, "log-level": { type: "string", default: "warn" } },
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function log(line: string): void {
  process.stderr.write(`[bench:detect ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

type Server = { port: number; otlp: number; process: ChildProcess; dataDir: string };

async function startTailguard(): Promise<Server> {
  const [port, otlp, grpc] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "tailguard-bench-detect-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), OTLP_HTTP_PORT: String(otlp), OTLP_GRPC_PORT: String(grpc),
      TAILGUARD_DATA_DIR: dataDir, TAILGUARD_INGEST_AUTH: "open", TAILGUARD_BOOTSTRAP_TOKEN: TOKEN, TAILGUARD_ADMIN_PASSWORD: "bench-admin-password", LOG_LEVEL: args["log-level"],
    },
    // The server logs JSON lines on stdout: shown only when a log level below warn was asked for.
    stdio: ["ignore", args["log-level"] === "warn" ? "ignore" : "inherit", "inherit"],
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Tailguard exited with code ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return { port, otlp, process: child, dataDir };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("Tailguard did not become ready in 180 s (is the console built? run npm run build)");
}

async function stopTailguard(server: Server): Promise<void> {
  server.process.kill("SIGTERM");
  await new Promise((r) => server.process.once("exit", r));
  await rm(server.dataDir, { recursive: true, force: true });
}

async function runSample(scenario: string, otlpPort: number, duration: string | undefined, truthFile: string): Promise<GroundTruth> {
  const argv = ["--import", "tsx", "sample-system/cli.ts", "--scenario", scenario, "--ground-truth", truthFile, ...(duration ? ["--duration", duration] : [])];
  // The embedded sample system: in-process queue, workers and PGlite, whatever the shell has set.
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, SAMPLE_API_PORT: "0", SAMPLE_METRICS_PORT: "0" };
  for (const key of ["AMQP_URL", "SAMPLE_DATABASE_URL", "REDIS_URL"]) delete env[key];
  const child = spawn(process.execPath, argv, {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const started = Date.now();
  const timer = setInterval(() => log(`  ${scenario}: ${Math.round((Date.now() - started) / 1000)} s`), 60_000);
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`sample system (${scenario}) exited with code ${code}`);
  return JSON.parse(await readFile(truthFile, "utf8")) as GroundTruth;
}

async function signalsOf(port: number): Promise<SignalView[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/signals?status=all&limit=500`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/v1/signals: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { signals: SignalView[] }).signals;
}

type Row = {
  scenario: string; expected: string; detected: boolean; kindRight: boolean; resourceRight: boolean;
  timeToDetectS: number | null; falseSignals: number; secondarySignals: number; signals: string[];
  /** Mean GPU utilisation over the run's whole minutes, as Tailguard stored it (hw.gpu.utilization). */
  gpuUtilisation: number | null;
};

async function meanGpuUtilisation(port: number, truth: GroundTruth): Promise<number | null> {
  const q = new URLSearchParams({ name: "hw.gpu.utilization", service: "sample-worker", from: truth.run.start, to: truth.run.end });
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/metrics?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) return null;
  // The first and last minutes are partial (warm-up, shutdown).
  const values = ((await res.json()) as { points: { avg: number | null }[] }).points.map((p) => p.avg).filter((v): v is number => v !== null).slice(1, -1);
  return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

function judge(truth: GroundTruth, signals: SignalView[]): Omit<Row, "gpuUtilisation"> {
  const opened = signals.filter((s) => s.openedAt !== null).map((s) => ({ ...s, at: Date.parse(s.openedAt as string) }));
  const describe = (s: SignalView & { at: number }) => `${s.kind}:${s.resource} @${truth.fault ? Math.round((s.at - Date.parse(truth.fault.start)) / 1000) + "s" : new Date(s.at).toISOString().slice(11, 19)}`;
  if (!truth.fault) {
    return { scenario: truth.scenario, expected: "nothing", detected: true, kindRight: true, resourceRight: true, timeToDetectS: null, falseSignals: opened.length, secondarySignals: 0, signals: opened.map(describe) };
  }
  const expected = EXPECTED[truth.scenario] as (typeof EXPECTED)[string];
  const start = Date.parse(truth.fault.start);
  const end = Date.parse(truth.fault.end) + AFTERMATH_MS;
  const during = opened.filter((s) => s.at >= start && s.at <= end);
  const match = during.filter((s) => s.kind === expected.kind && expected.resource.test(s.resource)).sort((a, b) => a.at - b.at)[0];
  const sameKind = during.some((s) => s.kind === expected.kind);
  return {
    scenario: truth.scenario, expected: expected.label, detected: match !== undefined, kindRight: sameKind, resourceRight: match !== undefined,
    timeToDetectS: match ? Math.round((match.at - start) / 1000) : null,
    falseSignals: opened.length - during.length,
    secondarySignals: during.length - (match ? 1 : 0),
    signals: opened.map(describe),
  };
}

const scenarios = [...(args.scenarios ?? "").split(",").filter(Boolean), ...(args.steady !== "0" ? ["steady"] : [])];
const rows: Row[] = [];
for (const scenario of scenarios) {
  log(`${scenario}: starting a fresh Tailguard`);
  const server = await startTailguard();
  try {
    const truthFile = path.join(server.dataDir, "ground-truth.json");
    log(`${scenario}: running the sample system`);
    const truth = await runSample(scenario, server.otlp, scenario === "steady" ? args.steady : args.duration, truthFile);
    // Let the last export batches land and one more detection pass run.
    await new Promise((r) => setTimeout(r, 25_000));
    const row = { ...judge(truth, await signalsOf(server.port)), gpuUtilisation: await meanGpuUtilisation(server.port, truth) };
    rows.push(row);
    log(`${scenario}: ${row.detected ? "detected" : "MISSED"}${row.timeToDetectS !== null ? ` after ${row.timeToDetectS} s` : ""}; signals: ${row.signals.join(", ") || "none"}`);
  } finally {
    await stopTailguard(server);
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad("scenario", 20)}${pad("expected", 44)}${pad("detected", 10)}${pad("kind", 6)}${pad("resource", 10)}${pad("time", 8)}${pad("false", 7)}${pad("other", 7)}GPU busy`);
for (const r of rows) {
  const yes = (b: boolean) => (b ? "yes" : "no");
  console.log(`${pad(r.scenario, 20)}${pad(r.expected, 44)}${pad(yes(r.detected), 10)}${pad(yes(r.kindRight), 6)}${pad(yes(r.resourceRight), 10)}${pad(r.timeToDetectS === null ? "-" : `${r.timeToDetectS} s`, 8)}${pad(String(r.falseSignals), 7)}${pad(String(r.secondarySignals), 7)}${r.gpuUtilisation === null ? "-" : `${Math.round(r.gpuUtilisation * 100)} %`}`);
}
const faults = rows.filter((r) => r.scenario !== "steady");
const summary = {
  scenarios: rows,
  faultsDetected: faults.filter((r) => r.detected).length,
  faults: faults.length,
  maxTimeToDetectS: faults.reduce<number | null>((m, r) => (r.timeToDetectS === null ? m : Math.max(m ?? 0, r.timeToDetectS)), null),
  falseSignals: rows.reduce((n, r) => n + r.falseSignals, 0),
  allWithin60s: faults.every((r) => r.detected && (r.timeToDetectS as number) <= 60),
};
console.log(JSON.stringify(summary));
