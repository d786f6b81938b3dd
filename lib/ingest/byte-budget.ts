// A cap on the bytes of OTLP requests held in memory at once; over it, callers answer with
// backpressure (429 / UNAVAILABLE + Retry-After) instead of queueing without bound.
export class ByteBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes && this.used > 0) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUseBytes(): number {
    return this.used;
  }
}
