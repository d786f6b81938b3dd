// Spawns GPU workers as separate Node processes (RabbitMQ + PostgreSQL runs), so horizontal
// scaling is visible: each is its own sample-worker instance with its own pool and /metrics.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ReleaseRole } from "../canary/release";
import type { SampleSystemConfig } from "../config";

const WORKER_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** `role` picks the release the processes run; `portOffset` shifts their metrics ports past earlier processes'. */
export async function spawnWorkerProcesses(options: { config: SampleSystemConfig; count: number; role?: ReleaseRole; portOffset?: number }): Promise<{ stop(): Promise<void> }> {
  const role = options.role ?? "baseline";
  const offset = options.portOffset ?? 0;
  const children: ChildProcess[] = [];
  const ready: Array<Promise<void>> = [];
  for (let i = 0; i < options.count; i++) {
    const config: SampleSystemConfig = {
      ...options.config,
      instanceId: `${options.config.instanceId}-${role === "canary" ? "canary-" : ""}p${i}`,
      metricsPort: options.config.metricsPort === null || options.config.metricsPort === 0 ? options.config.metricsPort : options.config.metricsPort + 1 + offset + i,
    };
    const child = spawn(process.execPath, ["--import", "tsx", WORKER_MAIN], {
      env: { ...process.env, SAMPLE_WORKER_CONFIG: JSON.stringify(config), SAMPLE_WORKER_ROLE: role },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    ready.push(
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${role} worker process ${i} did not start within 30 s`)), 30_000);
        child.stdout?.on("data", (chunk: Buffer) => {
          const text = chunk.toString();
          if (text.includes("sample-worker ready")) {
            clearTimeout(timer);
            resolve();
          }
          process.stdout.write(text);
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`${role} worker process ${i} exited with ${code}`));
        });
      }),
    );
  }
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 15_000).unref();
          }),
      ),
    );
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}
