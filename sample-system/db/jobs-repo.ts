// The one module that writes the jobs table: every statement is a CLIENT span carrying the job's
// ID and attempt, timed into db.client.operation.duration, with the pool wait on the span.
import { SpanKind, type Context, type Tracer } from "@opentelemetry/api";
import { decideIdempotency, type IdempotencyDecision } from "../api/idempotency";
import { ATTR } from "../telemetry/attributes";
import { inSpan } from "../telemetry/spans";
import type { SqlExecutor } from "./drivers";
import type { BoundedPool } from "./pool";
import { SCHEMA } from "./schema";

export type JobStatus = "queued" | "running" | "retrying" | "succeeded" | "dead";
export type JobRow = { id: string; user_id: string; status: JobStatus; created_at: Date; updated_at: Date; payload: unknown; result_uri: string | null; attempts: number };
export type JobRef = { jobId: string; attempt: number };
export type NewJob = { id: string; userId: string; payload: unknown; status: JobStatus; resultUri?: string; idempotency?: { clientId: string; key: string; requestSha256: string } };

export class JobsRepo {
  constructor(
    private readonly pool: BoundedPool,
    private readonly tracer: Tracer,
    private readonly recordDuration: (seconds: number, attributes: Record<string, string>) => void,
  ) {}

  private run<T>(operation: string, job: JobRef, parent: Context, work: (exec: SqlExecutor) => Promise<T>, transactional = false): Promise<T> {
    const attributes = { [ATTR.dbSystem]: "postgresql", [ATTR.dbOperation]: operation, [ATTR.dbCollection]: `${SCHEMA}.jobs`, [ATTR.jobId]: job.jobId, [ATTR.jobAttempt]: job.attempt };
    return inSpan(this.tracer, `${operation} ${SCHEMA}.jobs`, { kind: SpanKind.CLIENT, attributes, parent }, async (span) => {
      const startedMs = performance.now();
      try {
        const body = (exec: SqlExecutor, waitedMs: number) => {
          span.setAttribute("sample.db.pool.wait_ms", Math.round(waitedMs));
          return work(exec);
        };
        return await (transactional ? this.pool.transaction(body) : this.pool.withConnection(body));
      } finally {
        this.recordDuration((performance.now() - startedMs) / 1000, { [ATTR.dbSystem]: "postgresql", [ATTR.dbOperation]: operation, [ATTR.dbCollection]: `${SCHEMA}.jobs` });
      }
    });
  }

  /** Inserts a job, or with an idempotency key answers with the job that key already created. */
  createJob(job: NewJob, parent: Context): Promise<IdempotencyDecision> {
    return this.run("INSERT", { jobId: job.id, attempt: 1 }, parent, async (tx) => {
      if (job.idempotency) {
        const { clientId, key, requestSha256 } = job.idempotency;
        const inserted = await tx.query(`INSERT INTO ${SCHEMA}.idempotency_keys (client_id, key, job_id, request_sha256) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING job_id`, [clientId, key, job.id, requestSha256]);
        if (inserted.rowCount === 0) {
          const existing = await tx.query<{ job_id: string; request_sha256: string }>(`SELECT job_id, request_sha256 FROM ${SCHEMA}.idempotency_keys WHERE client_id = $1 AND key = $2`, [clientId, key]);
          const row = existing.rows[0];
          return decideIdempotency(row && { jobId: row.job_id, requestSha256: row.request_sha256 }, requestSha256);
        }
      }
      await tx.query(`INSERT INTO ${SCHEMA}.jobs (id, user_id, status, payload, result_uri, attempts) VALUES ($1, $2, $3, $4, $5, $6)`, [job.id, job.userId, job.status, JSON.stringify(job.payload), job.resultUri ?? null, job.status === "succeeded" ? 0 : 1]);
      return { kind: "new" } as const;
    }, true);
  }

  async getJob(jobId: string, parent: Context): Promise<JobRow | undefined> {
    const r = await this.run("SELECT", { jobId, attempt: 0 }, parent, (c) => c.query<JobRow>(`SELECT * FROM ${SCHEMA}.jobs WHERE id = $1`, [jobId]));
    return r.rows[0];
  }

  /** Claims the job for this attempt; undefined when it already finished (a duplicate delivery). */
  async markRunning(job: JobRef, parent: Context): Promise<JobRow | undefined> {
    const r = await this.run("UPDATE", job, parent, (c) =>
      c.query<JobRow>(`UPDATE ${SCHEMA}.jobs SET status = 'running', attempts = GREATEST(attempts, $2), updated_at = now() WHERE id = $1 AND status NOT IN ('succeeded', 'dead') RETURNING *`, [job.jobId, job.attempt]),
    );
    return r.rows[0];
  }

  // Conditional: a second delivery of a finished job changes nothing (no second result).
  async markSucceeded(job: JobRef, resultUri: string, parent: Context): Promise<boolean> {
    const r = await this.run("UPDATE", job, parent, (c) =>
      c.query(`UPDATE ${SCHEMA}.jobs SET status = 'succeeded', result_uri = $2, updated_at = now() WHERE id = $1 AND status <> 'succeeded'`, [job.jobId, resultUri]),
    );
    return r.rowCount > 0;
  }

  async markStatus(job: JobRef, status: "retrying" | "dead", parent: Context): Promise<void> {
    await this.run("UPDATE", job, parent, (c) => c.query(`UPDATE ${SCHEMA}.jobs SET status = $2, updated_at = now() WHERE id = $1 AND status <> 'succeeded'`, [job.jobId, status]));
  }
}
