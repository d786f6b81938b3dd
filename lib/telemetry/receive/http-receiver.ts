// OTLP/HTTP receiver (:4318): /v1/traces, /v1/metrics, /v1/logs in protobuf or JSON, optionally
// gzipped, with auth, size caps and backpressure; the response follows the OTLP specification.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { decodeLogsRequest, decodeMetricsRequest, type DecodeResult, type OtlpEncoding } from "../core/otlp/decode";
import { encodeExportResponse, exportResponseJson, type OtlpSignal } from "../core/otlp/export-response";
import type { SpanLimitOptions } from "../core/otlp/span-limits";
import { DEFAULT_BODY_IDLE_TIMEOUT_MS, DEFAULT_MIN_BODY_BYTES_PER_S, decompress, readBody } from "./body";
import type { ReceiverOptions } from "./receiver-options";
import { encodeRpcStatus, RPC } from "./rpc-status";
import { IngestUnavailableError, type IngestBatch } from "./sink";
import { decodeTraceBatch } from "./trace-batch";

export type HttpReceiverOptions = ReceiverOptions & {
  /** Time allowed for one whole request body. */
  requestTimeoutMs: number;
  /** Longest pause between two chunks of a body (default 5 s). */
  bodyIdleTimeoutMs?: number;
  /** Slowest average body rate accepted after a grace of twice the idle timeout (default 1 KiB/s; 0: no check). */
  minBodyBytesPerS?: number;
};

const PATHS: Record<string, OtlpSignal> = { "/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs" };

function decode(signal: OtlpSignal, bytes: Buffer, encoding: OtlpEncoding, spanLimits: SpanLimitOptions = {}): DecodeResult<IngestBatch> {
  const wrap = <T>(r: DecodeResult<T>, make: (v: T) => IngestBatch): DecodeResult<IngestBatch> => (r.ok ? { ok: true, value: make(r.value) } : r);
  const body = encoding === "json" ? bytes.toString("utf8") : bytes;
  if (signal === "traces") return decodeTraceBatch(body, encoding, spanLimits);
  if (signal === "metrics") return wrap(decodeMetricsRequest(body, encoding), (request) => ({ signal, request }));
  return wrap(decodeLogsRequest(body, encoding), (request) => ({ signal, request }));
}

function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

export function createOtlpHttpServer(opts: HttpReceiverOptions) {
  const server = createServer((req, res) => void handle(opts, req, res));
  server.requestTimeout = opts.requestTimeoutMs;
  return server;
}

async function handle(opts: HttpReceiverOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "").split("?")[0] ?? "";
  const signal = PATHS[path];
  const encoding = encodingOf(req.headers["content-type"]);
  const reply = (status: number, rpcCode: number, message: string, headers: Record<string, string> = {}) => {
    opts.metrics.otlpRequests.inc({ signal: signal ?? "unknown", transport: "http", code: String(status) });
    const body = encoding === "protobuf" ? encodeRpcStatus(rpcCode, message) : Buffer.from(JSON.stringify({ code: rpcCode, message }));
    res.writeHead(status, { "content-type": encoding === "protobuf" ? "application/x-protobuf" : "application/json", ...headers });
    res.end(body);
  };
  if (!signal) return reply(404, RPC.UNIMPLEMENTED, `no OTLP endpoint at ${path}; use /v1/traces, /v1/metrics or /v1/logs`);
  if (req.method !== "POST") return reply(405, RPC.UNIMPLEMENTED, "OTLP/HTTP takes POST", { allow: "POST" });
  if (!encoding) return reply(415, RPC.INVALID_ARGUMENT, "Content-Type must be application/x-protobuf or application/json");

  const auth = await opts.authorise(req.headers.authorization);
  if (!auth.ok) return reply(auth.status, auth.status === 401 ? RPC.UNAUTHENTICATED : RPC.PERMISSION_DENIED, auth.reason);

  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > opts.maxRequestBytes) return reply(413, RPC.INVALID_ARGUMENT, `request body over the ${opts.maxRequestBytes}-byte limit`);
  const refused = opts.sink.refusal?.(signal);
  if (refused) {
    req.resume();
    return reply(503, RPC.UNAVAILABLE, refused.message, { "retry-after": String(refused.retryAfterS) });
  }
  // Memory is reserved as bytes arrive, not as declared: an idle upload declaring 32 MB holds what it sent. The
  // reservation covers the decompressed size too (a gzipped body expands several times in memory), up to one
  // request's cap, and counts against the sender's address so that one sender cannot hold the whole budget.
  const client = req.socket.remoteAddress ?? "unknown";
  const factor = req.headers["content-encoding"] ? 8 : 2;
  const cap = Math.min(opts.maxRequestBytes, opts.budget.perClientLimitBytes);
  let held = 0;
  const hold = (received: number) => {
    const more = Math.min(cap, received * factor) - held;
    if (more <= 0) return true;
    if (!opts.budget.tryTake(more, client)) return false;
    held += more;
    return true;
  };
  const limits = { maxBytes: opts.maxRequestBytes, deadlineMs: opts.requestTimeoutMs, idleTimeoutMs: opts.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS, minBytesPerS: opts.minBodyBytesPerS ?? DEFAULT_MIN_BODY_BYTES_PER_S };
  try {
    const raw = await readBody(req, limits, hold);
    if (!raw.ok && raw.status === 429) return reply(429, RPC.UNAVAILABLE, raw.reason, { "retry-after": "1", connection: "close" });
    if (!raw.ok && raw.status === 408) {
      // The sender stalled: answer, then drop the connection rather than wait for the rest.
      reply(408, RPC.UNAVAILABLE, raw.reason, { connection: "close" });
      res.once("finish", () => req.destroy());
      return;
    }
    if (!raw.ok) return reply(raw.status, RPC.INVALID_ARGUMENT, raw.reason);
    const body = await decompress(raw.bytes, req.headers["content-encoding"], opts.maxRequestBytes);
    if (!body.ok) return reply(body.status, RPC.INVALID_ARGUMENT, body.reason);
    const decoded = decode(signal, body.bytes, encoding, opts.spanLimits);
    if (!decoded.ok) return reply(400, RPC.INVALID_ARGUMENT, decoded.reason);
    const outcome = await opts.sink.accept(decoded.value);
    opts.metrics.otlpRequests.inc({ signal, transport: "http", code: "200" });
    if (encoding === "protobuf") {
      res.writeHead(200, { "content-type": "application/x-protobuf" });
      res.end(Buffer.from(encodeExportResponse(signal, outcome)));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(exportResponseJson(signal, outcome)));
    }
  } catch (err) {
    if (err instanceof IngestUnavailableError) return reply(503, RPC.UNAVAILABLE, err.message, { "retry-after": String(err.retryAfterS) });
    opts.logger.error("OTLP/HTTP export failed", { signal, err });
    return reply(503, RPC.UNAVAILABLE, "Tailguard could not store this batch; retry later", { "retry-after": "5" });
  } finally {
    opts.budget.give(held, client);
  }
}
