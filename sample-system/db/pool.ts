// A bounded connection pool that measures what saturation costs: wait time for a connection,
// callers waiting, timeouts; and can "leak" connections on purpose (db-pool-exhaustion).
import type { Driver, DriverConnection, QueryResult, SqlExecutor } from "./drivers";

export class PoolTimeoutError extends Error {
  readonly kind = "pool_timeout";
  constructor(poolName: string, waitedMs: number) {
    super(`no connection from pool ${poolName} within ${waitedMs} ms`);
  }
}

export type PoolStats = { used: number; idle: number; max: number; pending: number; leaked: number };
type Waiter = { resolve: () => void; reject: (err: Error) => void; timer: NodeJS.Timeout };

export class BoundedPool {
  private inUse = 0;
  private leaked = 0;
  private leakTarget = 0;
  private leakPending = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly name: string,
    private readonly driver: Driver,
    readonly max: number,
    private readonly acquireTimeoutMs: number,
    private readonly onWait: (waitedS: number) => void = () => undefined,
    private readonly onTimeout: () => void = () => undefined,
  ) {}

  get kind(): Driver["kind"] {
    return this.driver.kind;
  }

  stats(): PoolStats {
    return { used: this.inUse + this.leaked, idle: this.max - this.inUse - this.leaked, max: this.max, pending: this.waiters.length, leaked: this.leaked };
  }

  private async acquirePermit(timeoutMs: number, measured = true): Promise<number> {
    const startedMs = performance.now();
    if (this.inUse + this.leaked < this.max && this.waiters.length === 0) {
      this.inUse++;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            if (measured) this.onTimeout();
            reject(new PoolTimeoutError(this.name, Math.round(performance.now() - startedMs)));
          }, timeoutMs),
        };
        this.waiters.push(waiter);
      });
    }
    const waitedMs = performance.now() - startedMs;
    if (measured) this.onWait(waitedMs / 1000);
    return waitedMs;
  }

  private releasePermit(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the permit passes straight to the next caller
    } else {
      this.inUse--;
    }
  }

  /** Runs `work` on one connection; `waitedMs` is how long the pool made the caller wait. */
  async withConnection<T>(work: (conn: DriverConnection, waitedMs: number) => Promise<T>): Promise<T> {
    const waitedMs = await this.acquirePermit(this.acquireTimeoutMs);
    let conn: DriverConnection | undefined;
    try {
      conn = await this.driver.connect();
      return await work(conn, waitedMs);
    } finally {
      conn?.release();
      this.releasePermit();
    }
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.withConnection((c) => c.query<R>(text, params));
  }

  transaction<T>(work: (tx: SqlExecutor, waitedMs: number) => Promise<T>): Promise<T> {
    return this.withConnection((c, waitedMs) => c.transaction((tx) => work(tx, waitedMs)));
  }

  // A leak takes permits in the same queue as everyone else and keeps them until repaired.
  setLeakedConnections(target: number): void {
    this.leakTarget = Math.max(0, Math.min(this.max, target));
    while (this.leaked > this.leakTarget) {
      this.leaked--;
      this.inUse++;
      this.releasePermit();
    }
    const missing = this.leakTarget - this.leaked - this.leakPending;
    for (let i = 0; i < missing; i++) {
      this.leakPending++;
      this.acquirePermit(24 * 3600_000, false).then(
        () => {
          this.leakPending--;
          this.inUse--;
          if (this.leaked < this.leakTarget) this.leaked++;
          else {
            this.inUse++;
            this.releasePermit();
          }
        },
        () => void this.leakPending--,
      );
    }
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`pool ${this.name} closed`));
    }
    await this.driver.close();
  }
}
