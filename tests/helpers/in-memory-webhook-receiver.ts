// A real local webhook receiver for the tests: records every request, answers by a script,
// and processes each webhook-id once, as a receiver following Standard Webhooks should.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedWebhook = { id: string; timestamp: string; signature: string; body: string; headers: http.IncomingHttpHeaders };
export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string } | "hang";
export type ReceiverScript = (request: ReceivedWebhook, attempt: number) => ReceiverReply;

export class InMemoryWebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  /** webhook-ids processed (answered 2xx), each once however often it arrives. */
  readonly processed = new Map<string, ReceivedWebhook>();
  private readonly server: http.Server;
  private readonly held: http.ServerResponse[] = [];
  private readonly seen = new Map<string, number>();

  constructor(private script: ReceiverScript = () => ({ status: 200 })) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  setScript(script: ReceiverScript): void {
    this.script = script;
  }

  /** Answers every held ("hang") request with `status`. */
  release(status = 200): void {
    for (const res of this.held.splice(0)) if (!res.writableEnded) res.writeHead(status).end("released");
  }

  countFor(id: string): number {
    return this.requests.filter((r) => r.id === id).length;
  }

  async stop(): Promise<void> {
    this.release(503);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const h = (name: string) => String(req.headers[name] ?? "");
    const received: ReceivedWebhook = { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature"), body, headers: req.headers };
    this.requests.push(received);
    const attempt = (this.seen.get(received.id) ?? 0) + 1;
    this.seen.set(received.id, attempt);
    const reply = this.script(received, attempt);
    if (reply === "hang") {
      this.held.push(res);
      return;
    }
    if (reply.status >= 200 && reply.status < 300 && !this.processed.has(received.id)) this.processed.set(received.id, received);
    res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
  }
}
