// Liveness and readiness: /healthz says the process is up; /readyz that the database answers
// and every migration in prisma/migrations has been applied.
import type { Database } from "../db/client";
import { migrationStatus } from "../db/migrations";

export type Readiness = { ready: boolean; checks: { database: string; migrations: string } };

export async function checkReadiness(db: Database): Promise<Readiness> {
  try {
    await db.sql.query("SELECT 1");
  } catch (err) {
    return { ready: false, checks: { database: `unreachable: ${(err as Error).message}`, migrations: "unknown" } };
  }
  const status = await migrationStatus(db.sql);
  const migrations = status.pending.length ? `pending: ${status.pending.join(", ")}` : `ok (${status.applied.length} applied)`;
  return { ready: status.pending.length === 0, checks: { database: "ok", migrations } };
}
