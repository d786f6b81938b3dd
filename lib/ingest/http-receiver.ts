// OTLP/HTTP receiver (:4318): /v1/traces, /v1/metrics, /v1/logs in protobuf or JSON, optionally
// gzipped, with auth, size caps and backpressure; the response follows the OTLP specification.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { decodeLogsRequest, decodeMetricsRequest, type DecodeResult, type OtlpEncoding } from "../otlp/decode";
import { encodeExportResponse, exportResponseJson, type OtlpSignal } from "../otlp/export-response";
import { decompress, readBody } from "./body";
import type { ReceiverOptions } from "./receiver-options";
import { encodeRpcStatus, RPC } from "./rpc-status";
import { IngestUnavailableError, type IngestBatch } from "./sink";
import { decodeTraceBatch } from "./trace-batch";

export type HttpReceiverOptions = ReceiverOptions & { requestTimeoutMs: number; };

const PATHS: Record<string, OtlpSignal> = { "/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs" };

function decode(signal: OtlpSignal, bytes: Buffer, encoding: OtlpEncoding): DecodeResult<IngestBatch> {
  const wrap = <T>(r: DecodeResult<T>, make: (v: T) => IngestBatch): DecodeResult<IngestBatch> => (r.ok ? { ok: true, value: make(r.value) } : r);
  const body = encoding === "json" ? bytes.toString("utf8") : bytes;
  if (signal === "traces") return decodeTraceBatch(body, encoding);
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
  // Reserve for the decompressed size too: a gzipped body expands several times in memory.
  const reserve = Math.min(opts.maxRequestBytes, Math.max(declared, 64 * 1024) * (req.headers["content-encoding"] ? 8 : 2));
  if (!opts.budget.tryTake(reserve)) {
    req.resume();
    return reply(429, RPC.UNAVAILABLE, "Tailguard is at its in-flight ingest limit; retry later", { "retry-after": "1" });
  }
  try {
    const raw = await readBody(req, opts.maxRequestBytes, opts.requestTimeoutMs);
    if (!raw.ok) return reply(raw.status, RPC.INVALID_ARGUMENT, raw.reason);
    const body = await decompress(raw.bytes, req.headers["content-encoding"], opts.maxRequestBytes);
    if (!body.ok) return reply(body.status, RPC.INVALID_ARGUMENT, body.reason);
    const decoded = decode(signal, body.bytes, encoding);
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
    opts.budget.give(reserve);
  }
}
