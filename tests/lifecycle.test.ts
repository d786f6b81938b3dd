// The whole process: a restart keeps PGlite data, SIGTERM lets an in-flight OTLP request finish
// and exits 0, and /metrics, /healthz and the receivers answer on the ports the role opens.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db/client";

const BASE_PORT = 4600 + (process.pid % 200) * 3;

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "development", HOST: "127.0.0.1", TAILGUARD_ROLE: "ingest", OTLP_HTTP_PORT: String(BASE_PORT), OTLP_GRPC_PORT: String(BASE_PORT + 1), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("process lifecycle", () => {
  it("keeps PGlite data across restarts and creates the admin only once", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-restart-"));
    for (const round of [1, 2]) {
      const s = start({ TAILGUARD_DATA_DIR: dir });
      await waitFor(() => s.output().includes("OTLP receivers listening"), 60_000);
      expect(s.output().includes("created the first admin account")).toBe(round === 1);
      s.child.kill("SIGTERM");
      expect(await s.exited).toBe(0);
    }
    const db = await openDatabase({ dataDir: dir });
    expect(await db.prisma.user.count()).toBe(1);
    expect(await db.prisma.instance.count()).toBe(2);
    await db.close();
  }, 180_000); // two starts of up to 60 s each (tsx compiles on a cold, busy machine)

  it("on SIGTERM stops accepting, finishes the request in flight, and exits 0", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-term-"));
    const s = start({ TAILGUARD_DATA_DIR: dir });
    await waitFor(() => s.output().includes("OTLP receivers listening"), 60_000);
    // A request whose body is still arriving when SIGTERM comes must still get its answer.
    const answered = new Promise<number>((resolve, reject) => {
      import("node:http").then(({ request }) => {
        const req = request({ host: "127.0.0.1", port: BASE_PORT, path: "/v1/traces", method: "POST", headers: { "content-type": "application/json", "content-length": "2" } }, (res) => resolve(res.statusCode ?? 0));
        req.on("error", reject);
        req.write("{");
        setTimeout(() => {
          s.child.kill("SIGTERM");
          setTimeout(() => req.end("}"), 300);
        }, 200);
      }, reject);
    });
    const status = await answered;
    expect(status).toBeGreaterThanOrEqual(200);
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('"msg":"stopped"');
  }, 120_000);
});
