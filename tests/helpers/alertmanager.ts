// Finds and starts Alertmanager (Debian package prometheus-alertmanager: /usr/bin/prometheus-alertmanager and
// amtool), and receives its webhook notifications in memory. A missing binary skips its tests with one line,
// except under CI=true where it is a failure.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { promisify } from "node:util";
import type { AlertmanagerAlert, AlertmanagerPayload } from "../../lib/webhooks/core/alertmanager-payload";
import { type RunningDaemon, startReadyDaemon } from "./prometheus";

const run = promisify(execFile);
const CANDIDATES = {
  alertmanager: ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager", "/usr/local/bin/alertmanager"],
  amtool: ["/usr/bin/amtool", "/usr/local/bin/amtool"],
};

/** The binary's path, or null after one SKIP line; under CI=true a missing binary throws. */
export function locateAlertmanagerBinary(name: "alertmanager" | "amtool"): string | null {
  const found = CANDIDATES[name].find((p) => existsSync(p));
  if (found) return found;
  if (process.env.CI === "true") throw new Error(`${name} is required under CI=true (Debian package prometheus-alertmanager) but was not found`);
  console.warn(`SKIP ${name} tests: ${name} not found (apt-get install prometheus-alertmanager)`);
  return null;
}

/** Runs amtool; resolves with its exit code and output instead of throwing on a non-zero exit. */
export async function amtool(binary: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(binary, args, { timeout: 30_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

export type RunningAlertmanager = RunningDaemon;

/** Starts a single Alertmanager on 127.0.0.1 (clustering off) and waits until it answers ready. */
export function startAlertmanager(options: { binary: string; configFile: string; dataDir: string; timeoutMs?: number }): Promise<RunningAlertmanager> {
  return startReadyDaemon({
    name: "alertmanager", binary: options.binary, timeoutMs: options.timeoutMs,
    args: [`--config.file=${options.configFile}`, `--storage.path=${options.dataDir}`, "--cluster.listen-address="],
  });
}

/** What Alertmanager posts to a webhook (payload version 4): the same shape Tailguard sends, minus its `slo` extension. */
export type WebhookAlert = AlertmanagerAlert;
export type WebhookNotification = Omit<AlertmanagerPayload, "slo">;

/** A webhook endpoint that keeps every notification with the path it was posted to. */
export class InMemoryAlertReceiver {
  readonly received: { path: string; body: WebhookNotification }[] = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<InMemoryAlertReceiver> {
    let receiver: InMemoryAlertReceiver | undefined;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        try {
          receiver?.received.push({ path: req.url ?? "/", body: JSON.parse(body) as WebhookNotification });
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    receiver = new InMemoryAlertReceiver(server, `http://127.0.0.1:${address.port}`);
    return receiver;
  }

  /** Firing alerts received at `path`, each with the notification that carried it. */
  firingAt(path: string): { alert: WebhookAlert; notification: WebhookNotification }[] {
    return this.received.filter((r) => r.path === path).flatMap((r) => r.body.alerts.filter((a) => a.status === "firing").map((alert) => ({ alert, notification: r.body })));
  }

  async waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; received: ${JSON.stringify(this.received.map((r) => ({ path: r.path, alerts: r.body.alerts.map((a) => `${a.labels.alertname}/${a.labels.severity}/${a.status}`) })))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
