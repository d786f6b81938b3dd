// Brings up the shared context: validated config, database with migrations applied, session
// key, first admin and bootstrap token, this replica's row. Servers and engine start after it.
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import type { Config } from "../config/env";
import { SYSTEM_ACTOR } from "../auth/core/scopes";
import { ensureBootstrapToken } from "../auth/store/tokens";
import { ensureFirstAdmin } from "../auth/store/users";
import { openDatabase, type Database } from "../db/client";
import { installConsoleSlos } from "../faro/store/install-console-slos";
import { applyMigrations, migrationStatus } from "../db/migrations";
import type { Logger } from "../observability/logger";
import { createMetrics } from "../observability/metrics";
import type { AppContext } from "../context/app-context";

import { VERSION } from "./version";

export async function bootContext(config: Config, logger: Logger, announce: (lines: string[]) => void): Promise<AppContext> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.TAILGUARD_DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  try {
    const applied = config.TAILGUARD_MIGRATE_ON_BOOT ? await applyMigrations(db.sql) : await waitForMigrations(db, logger);
    logger.info("database ready", { database: db.location, migrationsApplied: applied });
    const sessionKey = config.TAILGUARD_SECRET ?? (await storedSessionKey(db));
    const svc = { db, actor: SYSTEM_ACTOR };
    const admin = await ensureFirstAdmin(svc, { email: config.TAILGUARD_ADMIN_EMAIL, password: config.TAILGUARD_ADMIN_PASSWORD });
    if (admin?.generatedPassword) {
      announce([
        "Tailguard created the first admin account. This password is shown once; change it in Settings.",
        `  email:    ${admin.email}`,
        `  password: ${admin.generatedPassword}`,
      ]);
    } else if (admin) {
      logger.info("first admin created from TAILGUARD_ADMIN_PASSWORD", { email: admin.email });
    }
    if (config.TAILGUARD_BOOTSTRAP_TOKEN) {
      const outcome = await ensureBootstrapToken(svc, config.TAILGUARD_BOOTSTRAP_TOKEN);
      logger.info("bootstrap token checked", { outcome });
    }
    logger.info("console SLOs checked", { outcome: await installConsoleSlos(svc, config) });
    const instanceId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const now = new Date();
    await db.prisma.instance.create({
      data: { id: instanceId, role: config.TAILGUARD_ROLE, hostname: os.hostname(), pid: process.pid, version: VERSION, startedAt: now, lastSeenAt: now },
    });
    return { config, db, logger, metrics: createMetrics(), sessionKey, instanceId, version: VERSION, startedAt: now };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

// Generated once and kept in the database so sessions survive restarts and work across replicas.
async function storedSessionKey(db: Database): Promise<string> {
  await db.sql.query(`INSERT INTO settings (key, value, updated_at) VALUES ('session_key', $1, now()) ON CONFLICT (key) DO NOTHING`, [randomBytes(32).toString("base64url")]);
  const rows = await db.sql.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'session_key'`);
  const key = rows[0]?.value;
  if (!key) throw new Error("session key missing from settings");
  return key;
}

/** With migrations left to a job (Kubernetes), replicas wait for it instead of racing it. */
async function waitForMigrations(db: Database, logger: Logger): Promise<string[]> {
  for (let waited = 0; ; waited += 2) {
    const status = await migrationStatus(db.sql);
    if (status.modified.length > 0) throw new Error(`applied migrations were edited: ${status.modified.join(", ")}`);
    if (status.pending.length === 0) return [];
    if (waited % 30 === 0) logger.warn("waiting for the migration job (TAILGUARD_MIGRATE_ON_BOOT=false)", { pending: status.pending });
    await new Promise((r) => setTimeout(r, 2000));
  }
}
