// The Faro receiver behind /api/faro/collect: origin rules, size cap, rate limit and in-flight bytes (429 +
// Retry-After), JSON + zod validation (400 naming the field), then conversion and the same ingest sink as OTLP.
import type { z } from "zod";
import type { FaroAcceptedView } from "../api/faro-contract";
import { errorResponse } from "../http/route";
import { decompress } from "../ingest/body";
import { ByteBudget } from "../ingest/byte-budget";
import { createIngestAuth, type IngestAuthResult } from "../ingest/ingest-auth";
import { IngestUnavailableError, type IngestBatch, type IngestSink } from "../ingest/sink";
import { createStoreSink } from "../ingest/store-sink";
import type { Logger } from "../observability/logger";
import type { AppContext } from "../runtime/context";
import { faroToOtlp, otlpCounts, type FaroOtlp } from "./convert";
import { corsHeaders, decideOrigin } from "./origin";
import { parseFaroPayload } from "./payload";
import { RequestRateLimit } from "./rate-limit";

export type FaroReceiverOptions = {
  sink: IngestSink;
  /** Non-browser senders (no Origin header) pass the OTLP ingest rule: open, or a token with the ingest scope. */
  authorise: (authorization: string | undefined) => Promise<IngestAuthResult>;
  allowedOrigins: readonly string[];
  maxRequestBytes: number;
  budget: ByteBudget;
  rateLimit: RequestRateLimit;
  logger: Logger;
  nowMs?: () => number;
};

export type FaroAccepted = z.infer<typeof FaroAcceptedView>;

type Body = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413 | 415; reason: string };

async function readCapped(req: Request, maxBytes: number): Promise<Body> {
  if (!req.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { ok: true, bytes: Buffer.concat(chunks, size) };
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, status: 413, reason: `request body over the ${maxBytes}-byte limit` };
    }
    chunks.push(value);
  }
}

export class FaroReceiver {
  constructor(private readonly opts: FaroReceiverOptions) {}

  /** CORS preflight: answered only for listed origins. */
  preflight(req: Request): Response {
    const decision = decideOrigin(originRequest(req), this.opts.allowedOrigins);
    if (decision.kind === "allowed") return new Response(null, { status: 204, headers: corsHeaders(decision.origin) });
    return new Response(null, { status: decision.kind === "same-origin" ? 204 : 403 });
  }

  async receive(req: Request): Promise<Response> {
    const requestId = req.headers.get("x-request-id") ?? "none";
    const decision = decideOrigin(originRequest(req), this.opts.allowedOrigins);
    const cors = decision.kind === "allowed" ? corsHeaders(decision.origin) : {};
    const fail = (status: number, code: string, message: string, extra: { details?: unknown; headers?: Record<string, string> } = {}) =>
      errorResponse(status, code, message, { details: extra.details, requestId, headers: { ...cors, ...extra.headers } });

    if (decision.kind === "refused") return fail(403, "forbidden", `cross-origin Faro request refused: ${decision.reason}`);
    if (decision.kind === "no-origin") {
      const auth = await this.opts.authorise(req.headers.get("authorization") ?? bearerFromApiKey(req.headers.get("x-api-key")));
      if (!auth.ok) return fail(auth.status, auth.status === 401 ? "unauthenticated" : "forbidden", auth.reason);
    }
    const type = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") return fail(415, "invalid", "Content-Type must be application/json (a Faro payload)");
    const declared = Number(req.headers.get("content-length") ?? 0);
    if (declared > this.opts.maxRequestBytes) return fail(413, "invalid", `request body over the ${this.opts.maxRequestBytes}-byte limit`);

    // Page views and errors become spans and logs, which share one write queue.
    const refused = this.opts.sink.refusal?.("logs");
    if (refused) return fail(503, "unavailable", refused.message, { headers: { "retry-after": String(refused.retryAfterS) } });
    const limited = this.opts.rateLimit.take((this.opts.nowMs ?? Date.now)());
    if (!limited.ok) return fail(429, "unavailable", "too many Faro requests; retry later", { headers: { "retry-after": String(limited.retryAfterS) } });
    // Reserve for the decompressed size too: a gzipped body expands several times in memory.
    const reserve = Math.min(this.opts.maxRequestBytes, Math.max(declared, 64 * 1024) * (req.headers.get("content-encoding") ? 8 : 2));
    if (!this.opts.budget.tryTake(reserve)) return fail(429, "unavailable", "Tailguard is at its in-flight Faro limit; retry later", { headers: { "retry-after": "1" } });
    try {
      const raw = await readCapped(req, this.opts.maxRequestBytes);
      const body = raw.ok ? await decompress(raw.bytes, req.headers.get("content-encoding") ?? undefined, this.opts.maxRequestBytes) : raw;
      if (!body.ok) return fail(body.status, "invalid", body.reason);
      let json: unknown;
      try {
        json = JSON.parse(body.bytes.toString("utf8"));
      } catch {
        return fail(400, "invalid", "request body is not valid JSON");
      }
      const payload = parseFaroPayload(json);
      if (!payload.ok) return fail(400, "invalid", payload.reason, { details: payload.issues });
      const converted = faroToOtlp(payload.payload);
      if (!converted.ok) return fail(400, "invalid", converted.reason);
      const { otlp } = converted;
      let rejected = otlp.rejected;
      let message = otlp.problem;
      for (const batch of ingestBatches(otlp)) {
        const outcome = await this.opts.sink.accept(batch);
        rejected += outcome.rejected;
        message ??= outcome.errorMessage;
      }
      const counts = otlpCounts(otlp);
      const accepted: FaroAccepted = { accepted: counts, rejected, message };
      return Response.json(accepted, { status: 202, headers: cors });
    } catch (err) {
      if (err instanceof IngestUnavailableError) return fail(503, "unavailable", err.message, { headers: { "retry-after": String(err.retryAfterS) } });
      this.opts.logger.error("Faro request failed", { requestId, err });
      return fail(503, "unavailable", "Tailguard could not store this batch; retry later", { headers: { "retry-after": "5" } });
    } finally {
      this.opts.budget.give(reserve);
    }
  }
}

// Traces first: a page view's span is stored before the logs that point into its trace.
function ingestBatches(otlp: FaroOtlp): IngestBatch[] {
  const batches: IngestBatch[] = [];
  if (otlp.traces.resourceSpans.length) batches.push({ signal: "traces", request: otlp.traces });
  if (otlp.metrics.resourceMetrics.length) batches.push({ signal: "metrics", request: otlp.metrics });
  if (otlp.logs.resourceLogs.length) batches.push({ signal: "logs", request: otlp.logs });
  return batches;
}

function originRequest(req: Request) {
  return { origin: req.headers.get("origin"), host: req.headers.get("x-forwarded-host") ?? req.headers.get("host"), secFetchSite: req.headers.get("sec-fetch-site") };
}

// Faro's transport sends a collector API key as x-api-key; a Tailguard ingest token works there too.
function bearerFromApiKey(key: string | null): string | undefined {
  return key ? `Bearer ${key}` : undefined;
}

const receivers = new WeakMap<AppContext, FaroReceiver>();

/** The process's receiver for this context, with its own write path to the shared database. */
export function faroReceiverFor(app: AppContext): FaroReceiver {
  let receiver = receivers.get(app);
  if (!receiver) {
    const c = app.config;
    receiver = new FaroReceiver({
      sink: createStoreSink(app),
      authorise: createIngestAuth(app.db, c.ingestAuth),
      allowedOrigins: c.TAILGUARD_FARO_ALLOWED_ORIGINS,
      maxRequestBytes: c.TAILGUARD_FARO_MAX_REQUEST_BYTES,
      budget: new ByteBudget(Math.min(c.OTLP_MAX_INFLIGHT_BYTES, 8 * c.TAILGUARD_FARO_MAX_REQUEST_BYTES)),
      rateLimit: new RequestRateLimit(c.TAILGUARD_FARO_RATE_PER_S, undefined, Date.now()),
      logger: app.logger.child({ component: "faro" }),
    });
    receivers.set(app, receiver);
  }
  return receiver;
}
