// Raw SQL over PGlite or PostgreSQL behind one small interface: migrations, bulk telemetry
// writes and advisory locks use it; entities go through Prisma (lib/db/client.ts).
import { once } from "node:events";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";

export interface SqlRunner {
  readonly kind: "pglite" | "postgres";
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(sql: string): Promise<void>;
  /** Bulk-loads rows in COPY text format (copy-text.ts) into `target`, a table name and its column list. */
  copyRows(target: string, rows: string): Promise<void>;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs fn while holding a session advisory lock, waiting for it if another holder has it. */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** Takes a session advisory lock if free and keeps it until released or the process dies. */
  tryHoldLock(key: number): Promise<HeldLock | null>;
}

export type HeldLock = { release(): Promise<void>; /** False once the session holding it is gone. */ alive(): Promise<boolean> };

type PgliteQueryable = Pick<PGlite, "query" | "exec"> | Transaction;

function pgliteRunner(db: PGlite, q: PgliteQueryable = db): SqlRunner {
  const held = new Set<number>();
  return {
    kind: "pglite",
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
    // PGlite has no COPY FROM STDIN; it reads a server-side COPY's file from the query's blob at /dev/blob.
    async copyRows(target: string, rows: string) {
      await q.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      if (q !== db) return fn(pgliteRunner(db, q));
      return db.transaction((tx) => fn(pgliteRunner(db, tx)));
    },
    // PGlite is one connection inside this process: it has no other session to exclude.
    async withLock<T>(_key: number, fn: () => Promise<T>) {
      return fn();
    },
    async tryHoldLock(key: number) {
      if (held.has(key)) return null;
      held.add(key);
      return { release: async () => void held.delete(key), alive: async () => held.has(key) };
    },
  };
}

function pgRunner(pool: Pool, client?: PoolClient): SqlRunner {
  const q = client ?? pool;
  return {
    kind: "postgres",
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
    async copyRows(target: string, rows: string) {
      const c = client ?? (await pool.connect());
      try {
        await copyIn(c, `COPY ${target} FROM STDIN`, Buffer.from(rows));
      } finally {
        if (!client) c.release();
      }
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      if (client) return fn(pgRunner(pool, client));
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const out = await fn(pgRunner(pool, c));
        await c.query("COMMIT");
        return out;
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async withLock<T>(key: number, fn: () => Promise<T>) {
      const c = await pool.connect();
      try {
        await c.query("SELECT pg_advisory_lock($1)", [key]);
        try {
          return await fn();
        } finally {
          await c.query("SELECT pg_advisory_unlock($1)", [key]);
        }
      } finally {
        c.release();
      }
    },
    async tryHoldLock(key: number) {
      const c = await pool.connect();
      const { rows } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [key]);
      if (!rows[0]?.ok) {
        c.release();
        return null;
      }
      let gone = false;
      c.on("error", () => {
        gone = true;
      });
      return {
        release: async () => {
          if (gone) return c.release(true);
          await c.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => undefined);
          c.release();
        },
        alive: async () => {
          if (gone) return false;
          try {
            await c.query("SELECT 1");
            return true;
          } catch {
            gone = true;
            return false;
          }
        },
      };
    },
  };
}

/** Sends the data in one piece; resolves once the server has stored it, rejects with the server's error. */
async function copyIn(c: PoolClient, sql: string, data: Buffer): Promise<void> {
  const stream = c.query(copyFrom(sql));
  const done = once(stream, "finish");
  stream.end(data);
  await done;
}

export function sqlRunnerForPglite(db: PGlite): SqlRunner {
  return pgliteRunner(db);
}

export function sqlRunnerForPool(pool: Pool): SqlRunner {
  return pgRunner(pool);
}
