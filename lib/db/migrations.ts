// Applies and creates Prisma-format migrations (prisma/migrations/<name>/migration.sql and the
// `_prisma_migrations` table) without Prisma's native engine: applying is plain SQL here, and
// diffing uses Prisma's WASM schema engine against a scratch in-memory PGlite.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { openSchemaEngine } from "./schema-engine";
import type { SqlRunner } from "./sql-runner";
import { TELEMETRY_TABLES } from "./telemetry-tables";

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
const EMPTY_MIGRATION = "-- This is an empty migration.";
// Serialises migrators across replicas that start at the same time (any constant would do).
const MIGRATION_LOCK_KEY = 7_141_001;

export type Migration = { name: string; sql: string; checksum: string };

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationStatus = { applied: string[]; pending: string[]; modified: string[] };

export async function migrationStatus(db: SqlRunner, migrations?: Migration[]): Promise<MigrationStatus> {
  const all = migrations ?? (await readMigrations());
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  const rows = exists[0]?.t
    ? await db.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    : [];
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  return {
    applied: all.filter((m) => done.has(m.name)).map((m) => m.name),
    pending: all.filter((m) => !done.has(m.name)).map((m) => m.name),
    modified: all.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name),
  };
}

/**
 * Applies every migration not yet recorded as finished, each in its own transaction, under an
 * advisory lock so that replicas starting together apply each migration once. Returns the names.
 */
export async function applyMigrations(db: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  return db.withLock(MIGRATION_LOCK_KEY, async () => {
    await db.exec(CREATE_HISTORY);
    const { pending, modified } = await migrationStatus(db, all);
    if (modified.length > 0) {
      throw new Error(`migration(s) ${modified.join(", ")} changed after they were applied; restore the original files`);
    }
    for (const m of all.filter((x) => pending.includes(x.name))) {
      await db.transaction(async (tx) => {
        await tx.exec(m.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
      });
    }
    return pending;
  });
}

/**
 * SQL that would bring the migrations up to schema.prisma, or null when they agree: the
 * migrations are replayed into a scratch in-memory PGlite which the engine then compares.
 */
export async function pendingSchemaChange(externalTables: string[] = []): Promise<string | null> {
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  const scratch = new PGlite();
  try {
    for (const m of await readMigrations()) await scratch.exec(m.sql);
    const engine = await openSchemaEngine(new PrismaPGlite(scratch), SCHEMA_PATH, schemaText);
    try {
      const files = [{ path: SCHEMA_PATH, content: schemaText }];
      const result = await engine.diff({
        from: { tag: "schemaDatasource", files, configDir: PRISMA_DIR },
        to: { tag: "schemaDatamodel", files },
        script: true,
        exitCode: false,
        filters: { externalTables, externalEnums: [] },
      });
      const script = (result.stdout ?? "").trim();
      return script === "" || script === EMPTY_MIGRATION ? null : script;
    } finally {
      engine.free();
    }
  } finally {
    await scratch.close();
  }
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql from schema.prisma changes. */
export async function createMigration(name: string, now = new Date()): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name "${name}" must be lower_snake_case`);
  const script = await pendingSchemaChange(TELEMETRY_TABLES);
  if (!script) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dirName = `${stamp}_${name}`;
  await mkdir(path.join(MIGRATIONS_DIR, dirName), { recursive: true });
  await writeFile(path.join(MIGRATIONS_DIR, dirName, "migration.sql"), `${script}\n`);
  await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), '# Please do not edit this file manually\nprovider = "postgresql"\n');
  return dirName;
}
