// The process's first minute: bad configuration ends with one clear line and a non-zero exit.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

function runServer(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env: { NODE_ENV: "development", PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("starting with bad configuration", () => {
  it("names the invalid variable", async () => {
    const r = await runServer({ DATABASE_URL: "mysql://nope", PORT: "99999" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(r.stderr).toContain("PORT:");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("says which database it cannot reach, without the password", async () => {
    const r = await runServer({ DATABASE_URL: "postgres://u:s3cret@127.0.0.1:1/x" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot connect to PostgreSQL at postgres://u:***@127.0.0.1:1/x");
    expect(r.stderr).not.toContain("s3cret");
  });

  it("says the data directory is unusable", async () => {
    // A path below a regular file cannot be created, even by root.
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-ro-"));
    await writeFile(path.join(dir, "file"), "");
    const r = await runServer({ TAILGUARD_DATA_DIR: path.join(dir, "file", "sub") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot use data directory");
  });

  it("says a port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", res));
    const port = (blocker.address() as { port: number }).port;
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-port-"));
    const r = await runServer({ TAILGUARD_ROLE: "ingest", HOST: "127.0.0.1", OTLP_HTTP_PORT: String(port), TAILGUARD_DATA_DIR: dir, TAILGUARD_ADMIN_PASSWORD: "a-long-enough-password" });
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot listen for OTLP/HTTP on 127.0.0.1:${port}: port ${port} is already in use`);
  });
});
