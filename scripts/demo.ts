// `npm run demo`: the whole product on one machine with embedded defaults — Tailguard (console,
// OTLP receivers, engine; PGlite under .data/) with ingestion open for local SDKs, the example
// SLOs applied, and the sample system sending telemetry under steady load.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEMO_STOP_GRACE_MS, stopChildren } from "./demo-processes";

const dataDir = process.env.TAILGUARD_DATA_DIR ?? ".data";
const port = Number(process.env.PORT ?? 3000);

// A token the demo uses to apply the example SLOs; kept beside the data so restarts reuse it.
async function demoToken(): Promise<string> {
  const file = path.join(dataDir, "demo-token");
  const existing = await readFile(file, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  const token = `demo_${randomBytes(24).toString("base64url")}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, token, { mode: 0o600 });
  return token;
}

const token = await demoToken();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production" as const,
  NEXT_TELEMETRY_DISABLED: "1",
  TAILGUARD_DATA_DIR: dataDir,
  // A local demo accepts telemetry without a token; production deployments leave this unset.
  TAILGUARD_INGEST_AUTH: process.env.TAILGUARD_INGEST_AUTH ?? "open",
  TAILGUARD_BOOTSTRAP_TOKEN: process.env.TAILGUARD_BOOTSTRAP_TOKEN ?? token,
};

const children = [spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: "inherit" })];
const server = children[0]!;

async function waitReady(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) return false;
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function applyExampleSlos(): Promise<void> {
  const yaml = await readFile("examples/slos/sample-system.yaml", "utf8");
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/slos/apply`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.TAILGUARD_BOOTSTRAP_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ yaml, dryRun: false }),
  });
  if (!res.ok) process.stderr.write(`demo: could not apply the example SLOs (${res.status}): ${await res.text()}\n`);
}

let stopping = false;

function startSampleSystem(): void {
  const sample = spawn(process.execPath, ["--import", "tsx", "sample-system/cli.ts", "--scenario", "steady", "--demo"], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${env.OTLP_HTTP_PORT ?? 4318}` },
    stdio: "inherit",
  });
  children.push(sample);
  sample.on("exit", (code) => {
    if (code && !stopping) process.stderr.write(`demo: the sample system exited with code ${code}; the console keeps running\n`);
  });
}

/** Ends every process the demo started (killing those still running after the grace period), then itself. */
async function stopDemo(signal: NodeJS.Signals, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const startedMs = Date.now();
  const { killed } = await stopChildren(children, { graceMs: DEMO_STOP_GRACE_MS, signal });
  if (killed > 0) process.stderr.write(`demo: ${killed} process(es) did not stop within ${DEMO_STOP_GRACE_MS / 1000} s and were killed\n`);
  process.stderr.write(`demo: stopped in ${((Date.now() - startedMs) / 1000).toFixed(1)} s\n`);
  process.exit(exitCode);
}

process.on("SIGINT", () => void stopDemo("SIGINT", 0));
process.on("SIGTERM", () => void stopDemo("SIGTERM", 0));
// Without the console the demo has no point: stop the sample system too, and report how the server ended.
server.on("exit", (code) => void stopDemo("SIGTERM", code ?? 1));

if ((await waitReady(120_000)) && !stopping) {
  await applyExampleSlos();
  if (!stopping) {
    startSampleSystem();
    process.stderr.write(`\nTailguard is up: open http://localhost:${port} (OTLP on :${env.OTLP_HTTP_PORT ?? 4318} and :${env.OTLP_GRPC_PORT ?? 4317}). The sample system sends steady load. Ctrl-C stops it.\n\n`);
  }
}
