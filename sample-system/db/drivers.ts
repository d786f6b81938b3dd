// Database drivers behind the bounded pool: PostgreSQL through `pg`, or PGlite in process.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type QueryResult<R> = { rows: R[]; rowCount: number };
export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}
export type DriverConnection = SqlExecutor & {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  release(): void;
};
export interface Driver {
  readonly kind: "postgresql" | "pglite";
  connect(): Promise<DriverConnection>;
  close(): Promise<void>;
}

export function openPostgresDriver(url: string, maxConnections: number): Driver {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, idleTimeoutMillis: 30_000 });
  pool.on("error", () => undefined); // an idle client's error surfaces on its next use instead
  return {
    kind: "postgresql",
    async connect() {
      const client = await pool.connect();
      const exec: SqlExecutor = {
        async query<R>(text: string, params?: unknown[]) {
          const r = await client.query(text, params);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
      };
      return {
        query: exec.query,
        async transaction<T>(work: (tx: SqlExecutor) => Promise<T>) {
          await client.query("BEGIN");
          try {
            const result = await work(exec);
            await client.query("COMMIT");
            return result;
          } catch (err) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw err;
          }
        },
        release: () => client.release(),
      };
    },
    close: () => pool.end(),
  };
}

/** PGlite is one backend; its own mutex serialises queries and keeps transactions exclusive. */
export async function openPgliteDriver(dataDir: string): Promise<Driver> {
  const db = await PGlite.create(dataDir);
  const exec: SqlExecutor = {
    async query<R>(text: string, params?: unknown[]) {
      const r = await db.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  };
  return {
    kind: "pglite",
    async connect() {
      return {
        query: exec.query,
        transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
          db.transaction(async (tx) =>
            work({
              async query<R>(text: string, params?: unknown[]) {
                const r = await tx.query<R>(text, params);
                return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
              },
            }),
          ),
        release: () => undefined,
      };
    },
    close: () => db.close(),
  };
}
