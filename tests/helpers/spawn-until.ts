// Starts a Node child process for tests and waits until its output shows it is ready (handlers
// installed, ports bound); fails with what it printed when it exits or stays silent instead.
import { spawn, type ChildProcess } from "node:child_process";

export type SpawnedChild = { child: ChildProcess; output: () => string; match: RegExpExecArray };

export async function spawnUntil(args: string[], ready: RegExp, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SpawnedChild> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no ${String(ready)} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const m = ready.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off("data", check);
      resolve(m);
    };
    child.stdout?.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before ${String(ready)}:\n${output}`));
    });
  });
  return { child, output: () => output, match };
}
