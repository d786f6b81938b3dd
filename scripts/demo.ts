// `npm run demo`: the whole product on one machine with embedded defaults — Tailguard (console,
// OTLP receivers, engine; PGlite under .data/) with ingestion open for local SDKs, the example
// SLOs applied, and the sample system sending telemetry under steady load.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

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

function startSampleSystem(): void {
  const sample = spawn(process.execPath, ["--import", "tsx", "sample-system/cli.ts", "--scenario", "steady", "--demo"], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${env.OTLP_HTTP_PORT ?? 4318}` },
    stdio: "inherit",
  });
  children.push(sample);
  sample.on("exit", (code) => {
    if (code) process.stderr.write(`demo: the sample system exited with code ${code}; the console keeps running\n`);
  });
}

const stopAll = (signal: NodeJS.Signals) => () => {
  for (const c of children) c.kill(signal);
};
process.on("SIGINT", stopAll("SIGINT"));
process.on("SIGTERM", stopAll("SIGTERM"));
server.on("exit", (code) => {
  for (const c of children.slice(1)) c.kill("SIGTERM");
  process.exit(code ?? 1);
});

if (await waitReady(120_000)) {
  await applyExampleSlos();
  startSampleSystem();
  process.stderr.write(`\nTailguard is up: open http://localhost:${port} (OTLP on :${env.OTLP_HTTP_PORT ?? 4318} and :${env.OTLP_GRPC_PORT ?? 4317}). The sample system sends steady load. Ctrl-C stops it.\n\n`);
}
