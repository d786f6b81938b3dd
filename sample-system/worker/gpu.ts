// A simulated GPU: a fixed number of inference slots, service times drawn from the configured
// distribution (scaled by the gpu-slowdown knob), and the utilisation and memory it reports.
import type { KnobBoard } from "../knobs";
import { sampleServiceTimeMs, type ServiceTime } from "./service-time";

export class SlotWaitAborted extends Error {
  readonly kind = "slot_wait_aborted";
}

export class InferenceStopped extends Error {
  readonly kind = "stopped";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InferenceStopped("the GPU stopped"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InferenceStopped("the GPU stopped mid-inference"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type InferenceTiming = { slotWaitMs: number; serviceMs: number };

export class SimulatedGpu {
  private busy = 0;
  private readonly waiters: Array<() => void> = [];
  static readonly MEMORY_LIMIT_BYTES = 24 * 1024 ** 3;
  private static readonly MODEL_BYTES = 6 * 1024 ** 3;
  private static readonly PER_SLOT_BYTES = 3 * 1024 ** 3;

  constructor(
    readonly id: string,
    readonly slots: number,
    private readonly serviceTime: ServiceTime,
    private readonly knobs: KnobBoard,
    private readonly random: () => number = Math.random,
  ) {}

  busySlots(): number {
    return this.busy;
  }
  waiting(): number {
    return this.waiters.length;
  }
  utilization(): number {
    return this.busy / this.slots;
  }
  memoryUsedBytes(): number {
    return SimulatedGpu.MODEL_BYTES + this.busy * Math.min(SimulatedGpu.PER_SLOT_BYTES, (SimulatedGpu.MEMORY_LIMIT_BYTES - SimulatedGpu.MODEL_BYTES) / this.slots);
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.busy < this.slots) {
      this.busy++;
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(new SlotWaitAborted("gave up waiting for a GPU slot"));
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new SlotWaitAborted("gave up waiting for a GPU slot"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next(); // the slot passes to the next waiter
    else this.busy--;
  }

  /**
   * Waits for a slot, then "infers". A timed-out sync request (`slotWait`) stops waiting but an
   * inference once started runs to its end, as on a real GPU; only `stop` (shutdown) cuts it short.
   */
  async infer(signals: { slotWait?: AbortSignal; stop?: AbortSignal } = {}): Promise<InferenceTiming> {
    const startedMs = performance.now();
    const waitSignal = signals.slotWait && signals.stop ? AbortSignal.any([signals.slotWait, signals.stop]) : (signals.slotWait ?? signals.stop);
    await this.acquire(waitSignal);
    const slotWaitMs = performance.now() - startedMs;
    const serviceMs = sampleServiceTimeMs(this.serviceTime, this.random) * this.knobs.get().serviceTimeFactor;
    try {
      await sleep(serviceMs, signals.stop);
    } finally {
      this.release();
    }
    return { slotWaitMs, serviceMs };
  }
}
