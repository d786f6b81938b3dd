// The database a bench runs against: a throwaway PostgreSQL database (dropped afterwards) or a PGlite
// directory on disk (large seeds do not fit PGlite's WASM heap in memory://), removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../lib/db/client";

export async function openBenchDatabase(backend: string, label: string, postgresAdminUrl: string): Promise<{ db: Database; cleanup(): Promise<void> }> {
  if (backend === "postgres") {
    const name = `tg_bench_${label.replace(/-/g, "_")}_${process.pid}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(sql).finally(() => c.end());
    };
    await admin(`CREATE DATABASE "${name}"`);
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ databaseUrl: url.toString(), dataDir: "memory://" });
    return { db, cleanup: async () => { await db.close(); await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } };
  }
  const dir = await mkdtemp(path.join(tmpdir(), `tg-bench-${label}-`));
  const db = await openDatabase({ dataDir: dir });
  return { db, cleanup: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}
