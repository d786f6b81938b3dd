// Finds promtool and prometheus (Debian package `prometheus`) for the Prometheus tests: a missing binary skips
// them with one line, except under CI=true where it is a failure. Also runs promtool and starts a throwaway server.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The binary's path, or null after one SKIP line; under CI=true a missing binary throws. */
export function locateBinary(name: "promtool" | "prometheus"): string | null {
  const found = [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((p) => existsSync(p));
  if (found) return found;
  if (process.env.CI === "true") throw new Error(`${name} is required under CI=true (Debian package prometheus) but was not found`);
  console.warn(`SKIP ${name} tests: ${name} not found (apt-get install prometheus)`);
  return null;
}

export const PROMTOOL = locateBinary("promtool");

/** Runs promtool; resolves with its exit code and output instead of throwing on a non-zero exit. */
export async function promtool(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number; output: string }> {
  if (!PROMTOOL) throw new Error("promtool not available");
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export type RunningDaemon = { url: string; stop(): Promise<void>; log(): string };
export type RunningPrometheus = RunningDaemon;

/** Starts a Prometheus-family server (`--web.listen-address` on a free port) and waits until `/-/ready` answers. */
export async function startReadyDaemon(options: { name: string; binary: string; args: string[]; timeoutMs?: number }): Promise<RunningDaemon> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(options.binary, [...options.args, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) return { url, stop, log: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${options.name} did not become ready in time:\n${output}`);
}

/** Starts Prometheus on 127.0.0.1 over an existing data directory and waits until it answers ready. */
export function startPrometheus(options: { binary: string; configFile: string; dataDir: string; timeoutMs?: number }): Promise<RunningPrometheus> {
  return startReadyDaemon({
    name: "prometheus", binary: options.binary, timeoutMs: options.timeoutMs,
    args: [`--config.file=${options.configFile}`, `--storage.tsdb.path=${options.dataDir}`, "--storage.tsdb.retention.time=3650d"],
  });
}

/** One instant query; returns the vector's samples as labels and value. */
export async function instantQuery(url: string, query: string, atUnixS: number): Promise<{ labels: Record<string, string>; value: number }[]> {
  const res = await fetch(`${url}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query, time: String(atUnixS) }) });
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success" || !body.data) throw new Error(`query failed: ${body.error ?? res.status}\n${query}`);
  if (body.data.resultType !== "vector") throw new Error(`expected a vector, got ${body.data.resultType}`);
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
