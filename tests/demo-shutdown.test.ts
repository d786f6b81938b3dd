// Stopping `npm run demo` ends everything it started within the demo's grace period: the sample
// system stops on its own even when its OTLP collector (the Tailguard being stopped) hangs, and a
// child that ignores SIGTERM is killed when the grace period is over.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnUntil as startUntil } from "./helpers/spawn-until";
import { DEMO_STOP_GRACE_MS, stopChildren } from "../scripts/demo-processes";

const started: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const c of cleanups.splice(0)) await c();
});

async function spawnUntil(args: string[], line: string, env?: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const { child } = await startUntil(args, new RegExp(line), { env });
  started.push(child);
  return child;
}

/** An OTLP endpoint that accepts connections and never answers, like a server that is shutting down. */
async function startHangingCollector(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

describe("stopping the demo's processes", () => {
  it("waits for each child, and kills the one that ignores SIGTERM once the grace period is over", async () => {
    const polite = await spawnUntil(["-e", "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 100)); setInterval(() => {}, 1000); console.log('ready')"], "ready");
    const stubborn = await spawnUntil(["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"], "ready");
    const graceMs = 600;
    const startedMs = Date.now();
    const { killed } = await stopChildren([polite, stubborn], { graceMs });
    const elapsedMs = Date.now() - startedMs;

    expect(killed).toBe(1);
    expect(polite.exitCode).toBe(0);
    expect(stubborn.signalCode).toBe("SIGKILL");
    expect(elapsedMs).toBeGreaterThanOrEqual(graceMs - 50); // the stubborn one got its grace period…
    expect(elapsedMs).toBeLessThan(graceMs + 2_000); // …and no more
  });

  it("answers at once for children that already exited", async () => {
    const done = spawn(process.execPath, ["-e", "0"]);
    await once(done, "exit");
    expect(await stopChildren([done], { graceMs: 10_000 })).toEqual({ killed: 0 });
  });

  it("sees the sample system under demo load exit by itself on SIGTERM within the grace period, its collector hanging", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "tg-demo-stop-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { AMQP_URL: _amqp, SAMPLE_DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
    const sample = await spawnUntil(
      ["--import", "tsx", "sample-system/cli.ts", "--scenario", "steady", "--demo", "--rate", "20", "--port", "0", "--metrics-port", "0", "--ground-truth", join(dir, "truth.json")],
      "scenario steady",
      { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: await startHangingCollector(), OTEL_METRIC_EXPORT_INTERVAL: "500", SAMPLE_ARTIFACTS_DIR: join(dir, "artifacts") },
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // requests in flight, spans waiting for export

    const startedMs = Date.now();
    sample.kill("SIGTERM");
    const [, signal] = (await once(sample, "exit")) as [number | null, NodeJS.Signals | null];
    const elapsedMs = Date.now() - startedMs;

    expect(signal).toBeNull(); // it ended itself; nobody had to kill it
    expect(elapsedMs).toBeLessThan(DEMO_STOP_GRACE_MS);
  });
});
