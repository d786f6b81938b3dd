// The sample system's tables: the seed's `jobs` table, range-partitioned by month on created_at,
// and the idempotency keys that map a client's key to the job it created.
import type { BoundedPool } from "./pool";
import { monthlyPartitions } from "./partitions";

export const SCHEMA = "sample_system";

export async function ensureSchema(pool: BoundedPool, now: Date): Promise<void> {
  const partitions = monthlyPartitions({ now, monthsBack: 1, monthsAhead: 2, table: "jobs" });
  await pool.transaction(async (tx) => {
    // Several processes may start at once; one creates, the others wait and find it done.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('sample_system.schema'))");
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    // A partitioned table's primary key must include the partition key, hence (id, created_at).
    await tx.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.jobs (
      id uuid NOT NULL,
      user_id uuid NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      payload jsonb NOT NULL,
      result_uri text,
      attempts integer NOT NULL DEFAULT 0,
      PRIMARY KEY (id, created_at)
    ) PARTITION BY RANGE (created_at)`);
    for (const p of partitions) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.${p.name} PARTITION OF ${SCHEMA}.jobs FOR VALUES FROM ('${p.fromIso}') TO ('${p.toIso}')`);
    }
    await tx.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.jobs_default PARTITION OF ${SCHEMA}.jobs DEFAULT`);
    await tx.query(`CREATE INDEX IF NOT EXISTS jobs_user_created_idx ON ${SCHEMA}.jobs (user_id, created_at DESC)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS jobs_id_idx ON ${SCHEMA}.jobs (id)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.idempotency_keys (
      client_id text NOT NULL,
      key text NOT NULL,
      job_id uuid NOT NULL,
      request_sha256 text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client_id, key)
    )`);
  });
}
