// Bounds the write transactions running at once and the batches waiting for one; beyond that, callers get a
// WriteQueueFullError at once (the receivers turn it into 503 + Retry-After), so memory never grows unbounded.

export class WriteQueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`telemetry writes are backed up (${waiting} batches waiting); retry later`);
  }
}

export class WriteGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get depth(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** One more `run` now would be refused: lets callers refuse work before paying to prepare it. */
  get isFull(): boolean {
    return this.active >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new WriteQueueFullError(this.waiting.length);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
