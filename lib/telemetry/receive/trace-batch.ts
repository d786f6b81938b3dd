// Decodes an OTLP trace body into the batch the sink takes: protobuf straight to span rows when the fast decoder
// can read it, otherwise (OTLP/JSON, unusual or malformed protobuf) through the generated decoder as before.
import { decodeTraceRequest, type DecodeResult, type OtlpEncoding } from "../core/otlp/decode";
import { decodeTraceRowsFast } from "../core/otlp/fast-trace-decode";
import type { PendingSpanRows } from "../core/otlp/pending-span-rows";
import type { SpanLimitOptions } from "../core/otlp/span-limits";
import type { OtlpTraceRequest } from "../core/otlp/types";
import type { IngestBatch } from "./sink";

/** `limits` are applied to the fast decoder's rows; the sink applies the same ones to a decoded `request`. */
export function decodeTraceBatch(body: Uint8Array | string, encoding: OtlpEncoding, limits: SpanLimitOptions = {}): DecodeResult<IngestBatch> {
  if (encoding === "protobuf" && typeof body !== "string") {
    const rows = decodeTraceRowsFast(body, limits);
    if (rows !== null) return { ok: true, value: rowsBatch(rows, body) };
  }
  const decoded = decodeTraceRequest(body, encoding);
  return decoded.ok ? { ok: true, value: { signal: "traces", request: decoded.value } } : decoded;
}

/** The OTLP tree is decoded again only if someone asks for it (tests, forwarding); the store reads `rows`. */
function rowsBatch(rows: PendingSpanRows, bytes: Uint8Array): IngestBatch {
  let request: OtlpTraceRequest | null = null;
  return {
    signal: "traces",
    rows,
    get request(): OtlpTraceRequest {
      if (request === null) {
        const decoded = decodeTraceRequest(bytes, "protobuf");
        if (!decoded.ok) throw new Error(`the fast trace decoder accepted a body the generated decoder refuses: ${decoded.reason}`);
        request = decoded.value;
      }
      return request;
    },
  };
}
