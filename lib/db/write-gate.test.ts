import { describe, expect, it } from "vitest";
import { WriteGate, WriteQueueFullError } from "./write-gate";

function deferred() {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("write gate", () => {
  it("runs up to `concurrency` at once, queues up to `maxWaiting`, and refuses the next", async () => {
    const gate = new WriteGate(2, 1);
    const blockers = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    expect(gate.isFull).toBe(false);
    const runs = blockers.map((b, i) => gate.run(async () => { order.push(i); await b.promise; return i; }));
    await Promise.resolve();
    expect(gate.depth).toEqual({ active: 2, waiting: 1 });
    // isFull says ahead of time what the next run would meet.
    expect(gate.isFull).toBe(true);
    await expect(gate.run(async () => 9)).rejects.toBeInstanceOf(WriteQueueFullError);
    blockers[0]?.resolve();
    blockers[1]?.resolve();
    blockers[2]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
    expect(gate.depth).toEqual({ active: 0, waiting: 0 });
    expect(gate.isFull).toBe(false);
  });

  it("frees the slot when the work throws", async () => {
    const gate = new WriteGate(1, 0);
    await expect(gate.run(async () => { throw new Error("x"); })).rejects.toThrow("x");
    expect(await gate.run(async () => 1)).toBe(1);
  });
});
