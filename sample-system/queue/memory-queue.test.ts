import { describe, expect, it } from "vitest";
import type { Delivery, QueueEnvelope } from "./message";
import { MemoryJobQueue } from "./memory-queue";

function envelope(n: number, attempt = 1): QueueEnvelope {
  const jobId = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return { messageId: `${jobId}#${attempt}`, headers: { "job-id": jobId }, body: { jobId, userId: jobId, attempt, createdAtMs: 0, payload: { prompt: "p", model: "m", steps: 1 } } };
}
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe("MemoryJobQueue (the embedded queue's broker semantics)", () => {
  it("hands a consumer at most `prefetch` unacknowledged messages", async () => {
    const q = new MemoryJobQueue("jobs");
    const held: Array<() => void> = [];
    await q.consume({ prefetch: 2 }, () => new Promise<void>((resolve) => held.push(resolve)));
    for (let i = 0; i < 5; i++) await q.publish(envelope(i));
    await tick();
    expect(held.length).toBe(2);
    expect((await q.depth()).ready).toBe(3);
    held[0]?.();
    await tick();
    expect(held.length).toBe(3);
    await q.close();
  });

  it("redelivers a message whose handler failed, marked as redelivered", async () => {
    const q = new MemoryJobQueue("jobs");
    const seen: Delivery[] = [];
    await q.consume({ prefetch: 1 }, async (d) => {
      seen.push(d);
      if (seen.length === 1) throw new Error("worker crashed");
    });
    await q.publish(envelope(1));
    await tick(20);
    expect(seen.map((d) => d.redelivered)).toEqual([false, true]);
    await q.close();
  });

  it("holds a retry for its delay, then returns it to the main queue", async () => {
    const q = new MemoryJobQueue("jobs");
    const got: number[] = [];
    expect(await q.publishRetry(envelope(7, 2), 40)).toBe("jobs.retry.2");
    expect(await q.depth()).toEqual({ ready: 0, retrying: 1, dead: 0 });
    await q.consume({ prefetch: 1 }, async (d) => void got.push(d.envelope.body.attempt));
    await tick(10);
    expect(got).toEqual([]);
    await tick(60);
    expect(got).toEqual([2]);
    await q.close();
  });

  it("keeps dead letters apart and copies messages like a broker would", async () => {
    const q = new MemoryJobQueue("jobs");
    const e = envelope(9);
    await q.publishDead(e);
    e.headers["job-id"] = "changed after publishing";
    expect(q.deadLetterQueue).toBe("jobs.dlq");
    expect(q.deadLetters()[0]?.headers["job-id"]).toBe("00000000-0000-4000-8000-000000000009");
    expect((await q.depth()).dead).toBe(1);
    await q.close();
  });
});
