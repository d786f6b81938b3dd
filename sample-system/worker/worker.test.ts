// Worker.stop() resolves only when no delivery is running any more: those that finish within the
// drain time finish, the rest are aborted and go back to the queue, nothing runs on after stop.
import { metrics, trace, type Context } from "@opentelemetry/api";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { JobsRepo } from "../db/jobs-repo";
import { KnobBoard } from "../knobs";
import { NORMAL_RETRY_POLICY } from "../queue/backoff";
import { MemoryJobQueue } from "../queue/memory-queue";
import type { JobMessage, QueueEnvelope } from "../queue/message";
import { DualMeter } from "../telemetry/dual-meter";
import { SimulatedGpu } from "./gpu";
import type { AttemptOutcome, AttemptSignals, JobRunner } from "./job-runner";
import { Worker } from "./worker";
import { createWorkerInstruments } from "./worker-instruments";

/** Attempts that take `durationMs` unless stopped; it records how each one ended. */
class TimedRunner {
  readonly ended: string[] = [];
  constructor(private readonly durationMs: (jobId: string) => number) {}

  runAttempt(message: JobMessage, _parent: Context, signals: AttemptSignals = {}): Promise<AttemptOutcome> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        // Cleaning up after an abort takes a moment; stop() must wait for it too.
        setTimeout(() => {
          this.ended.push(`${message.jobId} aborted`);
          reject(new Error("stopped"));
        }, 50);
      };
      const timer = setTimeout(() => {
        signals.stop?.removeEventListener("abort", onAbort);
        this.ended.push(`${message.jobId} finished`);
        resolve({ kind: "succeeded", resultUri: `file:///${message.jobId}.json`, fromCache: false });
      }, this.durationMs(message.jobId));
      signals.stop?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function envelope(jobId: string): QueueEnvelope {
  return { messageId: `${jobId}#1`, headers: {}, body: { jobId, userId: jobId, attempt: 1, createdAtMs: Date.now(), payload: { prompt: "p", model: "m", steps: 1 } } };
}

async function startWorker(runner: TimedRunner, queue: MemoryJobQueue): Promise<Worker> {
  const knobs = new KnobBoard();
  const worker = new Worker({
    workerId: "w-test",
    queue,
    gpu: new SimulatedGpu("gpu-test", 2, { distribution: "fixed", ms: 1 }, knobs),
    runner: runner as unknown as JobRunner,
    repo: {} as JobsRepo, // only a failed attempt touches it, and none fails here
    tracer: trace.getTracer("worker-test"),
    knobs,
    retryPolicy: NORMAL_RETRY_POLICY,
    instruments: createWorkerInstruments(new DualMeter(metrics.getMeter("worker-test"), new Registry())),
    log: () => undefined,
  });
  await worker.start();
  return worker;
}

describe("Worker.stop", () => {
  it("lets a short attempt finish, aborts a long one once the drain time is over, and returns it to the queue", async () => {
    const queue = new MemoryJobQueue("jobs");
    const runner = new TimedRunner((jobId) => (jobId === "short" ? 100 : 30_000));
    const worker = await startWorker(runner, queue);
    await queue.publish(envelope("short"));
    await queue.publish(envelope("long"));
    await new Promise((resolve) => setTimeout(resolve, 20));

    const startedMs = Date.now();
    await worker.stop(300);
    const elapsedMs = Date.now() - startedMs;
    const endedAtStop = [...runner.ended];

    expect(endedAtStop).toEqual(["short finished", "long aborted"]);
    expect(elapsedMs).toBeGreaterThanOrEqual(300);
    expect(elapsedMs).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runner.ended).toEqual(endedAtStop); // nothing ran on after stop()
    expect((await queue.depth()).ready).toBe(1); // the aborted delivery is back for another worker
    await queue.close();
  });

  it("resolves as soon as the attempts in hand finish", async () => {
    const queue = new MemoryJobQueue("jobs");
    const runner = new TimedRunner(() => 100);
    const worker = await startWorker(runner, queue);
    await queue.publish(envelope("a"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const startedMs = Date.now();
    await worker.stop(10_000);
    expect(Date.now() - startedMs).toBeLessThan(1_000);
    expect(runner.ended).toEqual(["a finished"]);
    await queue.close();
  });
});
