// A cap on the bytes of OTLP requests held in memory at once, overall and per client address; over it, callers
// answer with backpressure (429 / UNAVAILABLE + Retry-After) instead of queueing without bound.
export class ByteBudget {
  private used = 0;
  private readonly byClient = new Map<string, number>();

  /** `perClientLimitBytes` keeps one address (a slow or hostile sender) from holding the whole budget. */
  constructor(
    readonly limitBytes: number,
    readonly perClientLimitBytes = limitBytes,
  ) {}

  /** Takes `bytes` for `client`; the first holder may exceed a limit, so one request larger than it still passes. */
  tryTake(bytes: number, client = ""): boolean {
    const mine = this.byClient.get(client) ?? 0;
    if (this.used + bytes > this.limitBytes && this.used > 0) return false;
    if (mine + bytes > this.perClientLimitBytes && mine > 0) return false;
    this.used += bytes;
    this.byClient.set(client, mine + bytes);
    return true;
  }

  give(bytes: number, client = ""): void {
    this.used = Math.max(0, this.used - bytes);
    const left = (this.byClient.get(client) ?? 0) - bytes;
    if (left > 0) this.byClient.set(client, left);
    else this.byClient.delete(client);
  }

  get inUseBytes(): number {
    return this.used;
  }

  /** Client addresses holding any bytes now. */
  get clientsHolding(): number {
    return this.byClient.size;
  }
}
