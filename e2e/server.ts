// Starts a Tailguard server of its own (production build, fresh embedded database, its own ports) for
// a spec whose assertions need an empty install or whose load must not reach the shared server.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { FRESH_PORTS, serverEnv, tailguardAt, type ServerPorts, type Tailguard } from "./environment";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Binds `port` (0: any) on 127.0.0.1 and lets it go; returns the port, or null when it is taken. */
async function claimPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(null));
    probe.listen(port, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : null));
    });
  });
}

async function portOrAny(preferred: number): Promise<number> {
  const port = (await claimPort(preferred)) ?? (await claimPort(0));
  if (port === null) throw new Error("no free port for the fresh e2e server");
  return port;
}

export type FreshServer = { tailguard: Tailguard; stop(): Promise<void> };

export async function startFreshServer(opts: { label: string; readyTimeoutMs: number }): Promise<FreshServer> {
  const ports: ServerPorts = {
    port: await portOrAny(FRESH_PORTS.port),
    otlpHttpPort: await portOrAny(FRESH_PORTS.otlpHttpPort),
    otlpGrpcPort: await portOrAny(FRESH_PORTS.otlpGrpcPort),
  };
  const dataDir = path.join(os.tmpdir(), `tailguard-e2e-${process.pid}-${opts.label}`);
  await rm(dataDir, { recursive: true, force: true });
  // As playwright.config.ts starts the shared server: the runner's environment plus the e2e settings.
  const env = { ...process.env, ...serverEnv(ports, dataDir) };
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A worker that dies without its teardown must not leave the server holding the ports.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const tailguard = tailguardAt(ports);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killOnExit);
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + opts.readyTimeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (gone !== undefined) {
      await stop();
      throw new Error(`the fresh e2e server exited (${gone}) before it was ready:\n${stderr}`);
    }
    const ready = await fetch(`${tailguard.baseURL}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { tailguard, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the fresh e2e server was not ready within ${opts.readyTimeoutMs} ms:\n${stderr}`);
}
