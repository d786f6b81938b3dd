// Opens the database Tailguard runs on: PGlite in-process by default, PostgreSQL with DATABASE_URL;
// returns Prisma for entities and a raw SQL runner for bulk work, over the same connection(s).
import { mkdir, access, constants } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { sqlRunnerForPglite, sqlRunnerForPool, type SqlRunner } from "./sql-runner";

export type Database = {
  kind: "pglite" | "postgres";
  /** Where the data lives, with any password removed: safe to log and show. */
  location: string;
  prisma: PrismaClient;
  sql: SqlRunner;
  close(): Promise<void>;
};

export type DatabaseTarget = { databaseUrl?: string; dataDir: string; poolSize?: number };

export class DatabaseOpenError extends Error {}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.databaseUrl) return openPostgres(target.databaseUrl, target.poolSize ?? 10);
  return openPglite(target.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000, application_name: "tailguard" });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    location: redactUrl(url),
    prisma,
    sql: sqlRunnerForPool(pool),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === "memory://";
  const dir = inMemory ? dataDir : path.resolve(dataDir, "pglite");
  if (!inMemory) {
    try {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new DatabaseOpenError(`cannot use data directory ${dir}: ${(err as Error).message}`);
    }
  }
  let db: PGlite;
  try {
    db = await PGlite.create(inMemory ? undefined : dir);
  } catch (err) {
    throw new DatabaseOpenError(`cannot open the embedded database in ${dir}: ${(err as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: "pglite",
    location: inMemory ? "in-memory PGlite" : `PGlite at ${dir}`,
    prisma,
    sql: sqlRunnerForPglite(db),
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
