// Starts the real Tailguard process (server.ts, role all) on free ports over a temporary PGlite data
// directory, as an operator would, and stops it with SIGTERM. The console runs in Next.js dev mode, so no
// production build is needed; /metrics, /healthz and the OTLP receivers do not go through Next.js at all.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "./prometheus";

export type RunningTailguard = {
  webUrl: string;
  otlpHttpUrl: string;
  output(): string;
  stop(): Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function startTailguardServer(options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningTailguard> {
  const [port, otlpHttpPort, otlpGrpcPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "tg-server-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", "--dev"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      TAILGUARD_ROLE: "all",
      PORT: String(port),
      OTLP_HTTP_PORT: String(otlpHttpPort),
      OTLP_GRPC_PORT: String(otlpGrpcPort),
      TAILGUARD_DATA_DIR: dataDir,
      TAILGUARD_INGEST_AUTH: "open",
      TAILGUARD_ENGINE_INTERVAL_MS: "1000",
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!stopped) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  };
  const webUrl = `http://127.0.0.1:${port}`;
  const otlpHttpUrl = `http://127.0.0.1:${otlpHttpPort}`;
  // The web port opens before the receivers do: any answer from the OTLP port (a 404 here) means it listens.
  const answers = (url: string, ok: (status: number) => boolean) => fetch(url).then((r) => ok(r.status), () => false);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = (await answers(`${webUrl}/readyz`, (s) => s === 200)) && (await answers(`${otlpHttpUrl}/`, (s) => s > 0));
    if (ready) return { webUrl, otlpHttpUrl, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`tailguard did not become ready (exit ${child.exitCode}):\n${output}`);
}
