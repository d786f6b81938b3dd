// The Faro receiver behind /api/faro/collect: origin rules, size cap, rate limit and in-flight bytes (429 +
// Retry-After), JSON + zod validation (400 naming the field), then conversion and the same ingest sink as OTLP.
import type { z } from "zod";
import type { FaroAcceptedView } from "../../api/core/faro-contract";
import { CONSOLE_APP_NAME } from "../core/console-app";
import { faroToOtlp, forceServiceName, otlpCounts, type FaroOtlp } from "../core/convert";
import { corsHeaders, decideOrigin } from "../core/origin";
import { parseFaroPayload } from "../core/payload";
import { RequestRateLimit } from "../core/rate-limit";
import { errorResponse } from "../../api/http/route";
import type { Logger } from "../../observability/logger";
import type { AppContext } from "../../context/app-context";
import { DEFAULT_BODY_IDLE_TIMEOUT_MS, decompress } from "../../telemetry/receive/body";
import { ByteBudget } from "../../telemetry/receive/byte-budget";
import { createIngestAuth, type IngestAuthResult } from "../../telemetry/receive/ingest-auth";
import { IngestUnavailableError, type IngestBatch, type IngestSink } from "../../telemetry/receive/sink";
import { createStoreSink } from "../../telemetry/receive/store-sink";

export type FaroReceiverOptions = {
  sink: IngestSink;
  /** Senders pass the OTLP ingest rule (open, or a token with the ingest scope); only the console's own pages need none. */
  authorise: (authorization: string | undefined) => Promise<IngestAuthResult>;
  allowedOrigins: readonly string[];
  maxRequestBytes: number;
  budget: ByteBudget;
  rateLimit: RequestRateLimit;
  /** Longest pause between two chunks of a body before it is answered 408 (default 5 s). */
  bodyIdleTimeoutMs?: number;
  logger: Logger;
  nowMs?: () => number;
};

export type FaroAccepted = z.infer<typeof FaroAcceptedView>;

type Body = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 408 | 413 | 415 | 429; reason: string };

const IDLE = Symbol("idle");

/**
 * Reads the body under a size cap and an idle timeout between chunks; `hold(received)` reserves memory as bytes
 * arrive (false ends the read in 429), so an upload that declares megabytes and stalls holds only what it sent.
 */
async function readCapped(req: Request, maxBytes: number, idleTimeoutMs: number, hold: (receivedBytes: number) => boolean): Promise<Body> {
  if (!req.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stop = async (body: Body): Promise<Body> => {
    await reader.cancel().catch(() => undefined);
    return body;
  };
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), idleTimeoutMs)));
    const next = await Promise.race([reader.read(), idle]).finally(() => clearTimeout(timer));
    if (next === IDLE) return stop({ ok: false, status: 408, reason: `no request body bytes for ${idleTimeoutMs} ms` });
    if (next.done) return { ok: true, bytes: Buffer.concat(chunks, size) };
    size += next.value.byteLength;
    if (size > maxBytes) return stop({ ok: false, status: 413, reason: `request body over the ${maxBytes}-byte limit` });
    if (!hold(size)) return stop({ ok: false, status: 429, reason: "Tailguard is at its in-flight Faro limit; retry later" });
    chunks.push(next.value);
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
    // Origin and Host are only headers, so any client can claim to be the console's page: without a token, a
    // same-origin payload may describe the console and nothing else; every other sender passes the OTLP ingest rule.
    const credentials = req.headers.get("authorization") ?? bearerFromApiKey(req.headers.get("x-api-key"));
    const auth = await this.opts.authorise(credentials);
    const consoleOnly = !auth.ok && decision.kind === "same-origin" && credentials === undefined;
    if (!auth.ok && !consoleOnly) return fail(auth.status, auth.status === 401 ? "unauthenticated" : "forbidden", auth.reason);
    const type = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") return fail(415, "invalid", "Content-Type must be application/json (a Faro payload)");
    const declared = Number(req.headers.get("content-length") ?? 0);
    if (declared > this.opts.maxRequestBytes) return fail(413, "invalid", `request body over the ${this.opts.maxRequestBytes}-byte limit`);

    // Page views and errors become spans and logs, which share one write queue.
    const refused = this.opts.sink.refusal?.("logs");
    if (refused) return fail(503, "unavailable", refused.message, { headers: { "retry-after": String(refused.retryAfterS) } });
    const limited = this.opts.rateLimit.take((this.opts.nowMs ?? Date.now)());
    if (!limited.ok) return fail(429, "unavailable", "too many Faro requests; retry later", { headers: { "retry-after": String(limited.retryAfterS) } });
    // Reserved as bytes arrive, for the decompressed size too (a gzipped body expands several times in memory).
    const factor = req.headers.get("content-encoding") ? 8 : 2;
    let held = 0;
    const hold = (received: number) => {
      const more = Math.min(this.opts.maxRequestBytes, received * factor) - held;
      if (more <= 0) return true;
      if (!this.opts.budget.tryTake(more)) return false;
      held += more;
      return true;
    };
    try {
      const raw = await readCapped(req, this.opts.maxRequestBytes, this.opts.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS, hold);
      if (!raw.ok && raw.status === 429) return fail(429, "unavailable", raw.reason, { headers: { "retry-after": "1" } });
      const body = raw.ok ? await decompress(raw.bytes, req.headers.get("content-encoding") ?? undefined, this.opts.maxRequestBytes) : raw;
      if (!body.ok) return fail(body.status, body.status === 408 ? "unavailable" : "invalid", body.reason);
      let json: unknown;
      try {
        json = JSON.parse(body.bytes.toString("utf8"));
      } catch {
        return fail(400, "invalid", "request body is not valid JSON");
      }
      const payload = parseFaroPayload(json);
      if (!payload.ok) return fail(400, "invalid", payload.reason, { details: payload.issues });
      const converted = faroToOtlp(payload.payload, { sdkTraces: !consoleOnly });
      if (!converted.ok) return fail(400, "invalid", converted.reason);
      const { otlp } = converted;
      let rejected = otlp.rejected;
      const renamed = consoleOnly && forceServiceName(otlp, CONSOLE_APP_NAME) > 0 ? `without an ingest token only the console's own telemetry is taken; stored as service.name "${CONSOLE_APP_NAME}"` : null;
      let message = [otlp.problem, renamed].filter((m) => m !== null).join("; ") || null;
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
      this.opts.budget.give(held);
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
      bodyIdleTimeoutMs: c.OTLP_BODY_IDLE_TIMEOUT_MS,
      logger: app.logger.child({ component: "faro" }),
    });
    receivers.set(app, receiver);
  }
  return receiver;
}
