// `npm run demo`: the whole product on one machine with embedded defaults — Tailguard (console,
// OTLP receivers, engine; PGlite under .data/) with ingestion open for local SDKs.
import { spawn } from "node:child_process";

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production" as const,
  NEXT_TELEMETRY_DISABLED: "1",
  // A local demo accepts telemetry without a token; production deployments leave this unset.
  TAILGUARD_INGEST_AUTH: process.env.TAILGUARD_INGEST_AUTH ?? "open",
};

const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: "inherit" });
const port = Number(env.PORT ?? 3000);

async function waitReady(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) return false;
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const forward = (signal: NodeJS.Signals) => () => server.kill(signal);
process.on("SIGINT", forward("SIGINT"));
process.on("SIGTERM", forward("SIGTERM"));
server.on("exit", (code) => process.exit(code ?? 1));

if (await waitReady(120_000)) {
  process.stderr.write(`\nTailguard is up: open http://localhost:${port} (OTLP on :${env.OTLP_HTTP_PORT ?? 4318} and :${env.OTLP_GRPC_PORT ?? 4317}). Ctrl-C stops it.\n\n`);
}
