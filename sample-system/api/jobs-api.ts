// The job routes: POST /v1/jobs (idempotency, backpressure, cache short-cut, enqueue or run
// inline in sync mode), GET /v1/jobs/:id, and GET /healthz.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { JobRow, JobsRepo } from "../db/jobs-repo";
import type { QueueDepth, JobMessage, JobQueue } from "../queue/message";
import { publishTraced } from "../queue/traced-publish";
import type { ResultCache } from "../storage/result-cache";
import { ATTR } from "../telemetry/attributes";
import type { JobRunner } from "../worker/job-runner";
import { decideBackpressure } from "./backpressure";
import { HttpError, type HttpResult, type RequestScope, type Route } from "./http-server";
import { requestFingerprint } from "./idempotency";
import { CreateJobRequestSchema, inferenceInput, type CreateJobResponse, type JobResponse } from "./schemas";
import type { Tracer } from "@opentelemetry/api";

export type JobsApiDeps = {
  mode: "sync" | "async" | "async+cache";
  repo: JobsRepo;
  queue: JobQueue | null;
  /** The queue a new job goes to when there is a choice (a canary's weighted route); `queue` otherwise. */
  route?: (message: JobMessage) => JobQueue;
  runner: JobRunner | null;
  cache: ResultCache | null;
  tracer: Tracer;
  backlogLimit: number;
  requestTimeoutMs: number;
  syncRequestTimeoutMs: number;
  depth: () => QueueDepth;
  drainRatePerS: () => number;
  health: () => Record<string, unknown>;
  onSent: (destination: string) => void;
  onBackpressure: () => void;
};

const IdempotencyKeySchema = z.string().min(1).max(200);

/** Clients without a user ID get a stable one derived from their client ID. */
function userIdForClient(clientId: string): string {
  const h = createHash("sha256").update(clientId).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function jobToResponse(row: JobRow): JobResponse {
  return { job_id: row.id, user_id: row.user_id, status: row.status, attempts: row.attempts, created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString(), result_uri: row.result_uri };
}

async function createJob(deps: JobsApiDeps, scope: RequestScope): Promise<HttpResult> {
  const parsed = CreateJobRequestSchema.safeParse(scope.body);
  if (!parsed.success) throw new HttpError(400, "invalid_request", "request body does not match the job schema", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const { user_id, ...payload } = parsed.data;
  const rawKey = scope.headers["idempotency-key"];
  const key = rawKey === undefined ? undefined : IdempotencyKeySchema.safeParse(rawKey);
  if (key && !key.success) throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 1–200 characters");

  if (deps.mode !== "sync") {
    const bp = decideBackpressure({ backlog: deps.depth().ready + deps.depth().retrying, backlogLimit: deps.backlogLimit, drainRatePerS: deps.drainRatePerS() });
    if (bp.shed) {
      deps.onBackpressure();
      throw new HttpError(503, "backlog_full", `queue backlog is at its limit of ${deps.backlogLimit}`, undefined, { "retry-after": String(bp.retryAfterS) });
    }
  }
  const jobId = randomUUID();
  const message: JobMessage = { jobId, userId: user_id ?? userIdForClient(scope.clientId), attempt: 1, createdAtMs: Date.now(), payload };
  scope.span.setAttributes({ [ATTR.jobId]: jobId, [ATTR.jobAttempt]: 1, [ATTR.userId]: message.userId });
  const inputSha256 = requestFingerprint(inferenceInput(payload));
  const cachedUri = deps.cache ? await deps.cache.lookup(inputSha256, { jobId, attempt: 1 }, scope.ctx) : null;
  const status = cachedUri ? "succeeded" : deps.mode === "sync" ? "running" : "queued";
  const idempotency = key?.success ? { clientId: scope.clientId, key: key.data, requestSha256: requestFingerprint(parsed.data) } : undefined;
  const decision = await deps.repo.createJob({ id: jobId, userId: message.userId, payload, status, resultUri: cachedUri ?? undefined, idempotency }, scope.ctx);
  if (decision.kind === "conflict") throw new HttpError(422, "idempotency_key_reused", "this Idempotency-Key was used with a different request body", { job_id: decision.jobId });
  if (decision.kind === "replay") {
    scope.span.setAttributes({ [ATTR.jobId]: decision.jobId, "sample.idempotent_replay": true });
    const row = await deps.repo.getJob(decision.jobId, scope.ctx);
    const body: CreateJobResponse = { job_id: decision.jobId, status: row?.status ?? "queued", status_url: `/v1/jobs/${decision.jobId}`, result_uri: row?.result_uri ?? null, replayed: true };
    return { status: deps.mode === "sync" && row?.status === "succeeded" ? 200 : 202, body, headers: { "idempotent-replayed": "true" } };
  }
  if (cachedUri) return { status: 202, body: { job_id: jobId, status: "succeeded", status_url: `/v1/jobs/${jobId}`, result_uri: cachedUri, replayed: false } satisfies CreateJobResponse };

  if (deps.mode === "sync") {
    if (!deps.runner) throw new Error("sync mode needs a job runner");
    try {
      const outcome = await deps.runner.runAttempt(message, scope.ctx, { slotWait: scope.signal, stop: scope.shutdown });
      const resultUri = outcome.kind === "succeeded" ? outcome.resultUri : null;
      return { status: 200, body: { job_id: jobId, status: "succeeded", status_url: `/v1/jobs/${jobId}`, result_uri: resultUri, replayed: false } satisfies CreateJobResponse };
    } catch (err) {
      if (scope.signal.aborted) throw err; // the timeout already answered 504, or the server is stopping
      throw new HttpError(502, "inference_failed", (err as Error).message, { job_id: jobId });
    }
  }
  if (!deps.queue) throw new Error("async mode needs a queue");
  await publishTraced({ queue: deps.route?.(message) ?? deps.queue, tracer: deps.tracer, message, target: { kind: "enqueue" }, parent: scope.ctx, onSent: deps.onSent });
  return { status: 202, headers: { location: `/v1/jobs/${jobId}` }, body: { job_id: jobId, status: "queued", status_url: `/v1/jobs/${jobId}`, result_uri: null, replayed: false } satisfies CreateJobResponse };
}

async function getJob(deps: JobsApiDeps, scope: RequestScope): Promise<HttpResult> {
  const id = z.uuid().safeParse(scope.params.id);
  if (!id.success) throw new HttpError(400, "invalid_job_id", "job id must be a UUID");
  scope.span.setAttributes({ [ATTR.jobId]: id.data, [ATTR.jobAttempt]: 0 });
  const row = await deps.repo.getJob(id.data, scope.ctx);
  if (!row) throw new HttpError(404, "not_found", `no job ${id.data}`);
  return { status: 200, body: jobToResponse(row) };
}

export function jobRoutes(deps: JobsApiDeps): Route[] {
  return [
    { method: "POST", route: "/v1/jobs", rateLimited: true, timeoutMs: deps.mode === "sync" ? deps.syncRequestTimeoutMs : deps.requestTimeoutMs, handle: (s) => createJob(deps, s) },
    { method: "GET", route: "/v1/jobs/:id", rateLimited: true, timeoutMs: deps.requestTimeoutMs, handle: (s) => getJob(deps, s) },
    { method: "GET", route: "/healthz", rateLimited: false, timeoutMs: deps.requestTimeoutMs, handle: async () => ({ status: 200, body: { status: "ok", ...deps.health() } }) },
  ];
}
