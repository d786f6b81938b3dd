// The Faro receiver's body handling without a database: stalled uploads hold only what they sent and end in 408.
import { describe, expect, it } from "vitest";
import { RequestRateLimit } from "../core/rate-limit";
import { createLogger } from "../../observability/logger";
import { ByteBudget } from "../../telemetry/receive/byte-budget";
import type { IngestBatch, IngestSink } from "../../telemetry/receive/sink";
import { FaroReceiver } from "./faro-receiver";

const ORIGIN = "http://console.test";

class InMemorySink implements IngestSink {
  readonly batches: IngestBatch[] = [];
  async accept(batch: IngestBatch) {
    this.batches.push(batch);
    return { rejected: 0, errorMessage: null };
  }
}

/** A same-origin upload that declares `declaredBytes`, sends one byte and then nothing. */
function stalledUpload(receiver: FaroReceiver, declaredBytes: number) {
  const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode("{")) });
  const req = new Request(`${ORIGIN}/api/faro/collect`, {
    method: "POST", body, duplex: "half", headers: { origin: ORIGIN, host: "console.test", "content-type": "application/json", "content-length": String(declaredBytes) },
  } as RequestInit);
  return receiver.receive(req);
}

describe("FaroReceiver uploads", () => {
  it("8 stalled uploads hold only what they sent: a page's payload still gets 202 within a second, and they end in 408", async () => {
    // Four requests' worth in flight; each stalled upload declares a whole request, which used to reserve twice that.
    const budget = new ByteBudget(4 * 1024 * 1024);
    const sink = new InMemorySink();
    const receiver = new FaroReceiver({
      sink, authorise: async () => ({ ok: true }), allowedOrigins: [], maxRequestBytes: 1024 * 1024, budget, rateLimit: new RequestRateLimit(1000, undefined, Date.now()),
      bodyIdleTimeoutMs: 1_000, logger: createLogger({ level: "error", sink: () => undefined }),
    });
    const stalled = Array.from({ length: 8 }, () => stalledUpload(receiver, 1024 * 1024));
    // Each upload's first byte is in (reserved twice over for the decoded form).
    for (let i = 0; i < 500 && budget.inUseBytes < 8 * 2; i++) await new Promise((r) => setTimeout(r, 10));

    const payload = { meta: { app: { name: "console" } }, logs: [{ message: "hello", level: "info", timestamp: new Date().toISOString() }] };
    const good = receiver.receive(new Request(`${ORIGIN}/api/faro/collect`, { method: "POST", body: JSON.stringify(payload), headers: { origin: ORIGIN, host: "console.test", "content-type": "application/json" } }));
    const answered = await Promise.race([good, new Promise<null>((r) => setTimeout(() => r(null), 1_000))]);
    expect(answered?.status).toBe(202);
    expect(sink.batches).toHaveLength(1);
    expect(budget.inUseBytes).toBe(8 * 2);

    const ended = await Promise.all(stalled);
    expect(ended.map((r) => r.status)).toEqual(Array(8).fill(408));
    expect(((await ended[0]!.json()) as { error: { message: string } }).error.message).toBe("no request body bytes for 1000 ms");
    expect(budget.inUseBytes).toBe(0);
  });

  it("ends an upload in 429 when the bytes it has received no longer fit the in-flight budget", async () => {
    const budget = new ByteBudget(64 * 1024);
    budget.tryTake(60 * 1024);
    const receiver = new FaroReceiver({
      sink: new InMemorySink(), authorise: async () => ({ ok: true }), allowedOrigins: [], maxRequestBytes: 1024 * 1024, budget, rateLimit: new RequestRateLimit(1000, undefined, Date.now()),
      logger: createLogger({ level: "error", sink: () => undefined }),
    });
    const res = await receiver.receive(new Request(`${ORIGIN}/api/faro/collect`, { method: "POST", body: JSON.stringify({ logs: [], pad: "x".repeat(8 * 1024) }), headers: { origin: ORIGIN, host: "console.test", "content-type": "application/json" } }));
    expect([res.status, res.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(budget.inUseBytes).toBe(60 * 1024);
  });
});
