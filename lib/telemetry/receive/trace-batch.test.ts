import { describe, expect, it } from "vitest";
import type { TelemetryWriter, WriteResult } from "../write/writer";
import { decodeTraceRequest } from "../core/otlp/decode";
import { normaliseTraces, type SpanRow } from "../core/otlp/normalise-traces";
import { decodeTraceRowsFast } from "../core/otlp/fast-trace-decode";
import { BASE_UNIX_NANO, buildTraceBatch, encodeTraceJson } from "../../../tests/fixtures/otlp-payloads";
import { lenField, varintField } from "../../../tests/fixtures/otlp-wire";
import type { IngestBatch } from "./sink";
import { createTelemetrySink } from "./store-sink";
import { decodeTraceBatch } from "./trace-batch";

const NOW_MS = Number((BASE_UNIX_NANO + 3_600_000_000_000n) / 1_000_000n);

/** Keeps the rows it is asked to write; the sink needs nothing else from the writer for traces. */
class InMemorySpanWriter {
  readonly written: SpanRow[][] = [];

  writeSpans(rows: readonly SpanRow[]): Promise<WriteResult> {
    this.written.push([...rows]);
    return Promise.resolve({ stored: rows.length, duplicates: 0, tooOld: 0 });
  }
}

function batchOf(result: ReturnType<typeof decodeTraceBatch>): Extract<IngestBatch, { signal: "traces" }> {
  if (!result.ok) throw new Error(result.reason);
  if (result.value.signal !== "traces") throw new Error(`a ${result.value.signal} batch`);
  return result.value;
}

describe("decodeTraceBatch", () => {
  const json = buildTraceBatch(30);
  (json.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>)[0]!.scopeSpans[0]!.spans[4]!.traceId = "00".repeat(16);
  const protobuf = Buffer.from(encodeTraceJson(json));

  it("decodes plain protobuf straight to rows and keeps OTLP/JSON on the generated path", () => {
    const fromProtobuf = batchOf(decodeTraceBatch(protobuf, "protobuf"));
    const fromJson = batchOf(decodeTraceBatch(JSON.stringify(json), "json"));
    expect(fromProtobuf.rows).toBeDefined();
    expect(fromJson.rows).toBeUndefined();
  });

  it("still offers the OTLP tree, decoded on demand, equal to the generated decoder's", () => {
    const batch = batchOf(decodeTraceBatch(protobuf, "protobuf"));
    expect(batch.request).toEqual(batchOf(decodeTraceBatch(JSON.stringify(json), "json")).request);
  });

  it.each([
    ["truncated", protobuf.subarray(0, protobuf.length - 2)],
    ["an invalid wire type", Buffer.from([0x9f, 0x06])],
    ["a negative kind", Buffer.from(lenField(1, lenField(2, lenField(2, varintField(6, -1)))))],
  ])("answers %s with the generated decoder's reason", (_case, body) => {
    const expected = decodeTraceRequest(body, "protobuf");
    expect(expected.ok).toBe(false);
    expect(decodeTraceRowsFast(body)).toBeNull();
    expect(decodeTraceBatch(body, "protobuf")).toEqual(expected);
  });

  it("stores the same rows and reports the same partial success either way", async () => {
    const results = [];
    for (const batch of [batchOf(decodeTraceBatch(protobuf, "protobuf")), { signal: "traces" as const, request: batchOf(decodeTraceBatch(JSON.stringify(json), "json")).request }]) {
      const writer = new InMemorySpanWriter();
      const sink = createTelemetrySink({ writer: writer as unknown as TelemetryWriter, jobIdKeys: ["messaging.message.id"], nowMs: () => NOW_MS });
      results.push({ outcome: await sink.accept(batch), rows: writer.written });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]?.outcome).toEqual({ rejected: 1, errorMessage: "resourceSpans[0].scopeSpans[0].spans[4].traceId: all-zero trace ID" });
    const request = batchOf(decodeTraceBatch(protobuf, "protobuf")).request;
    expect(results[0]?.rows).toEqual([normaliseTraces(request, { nowUnixNano: BigInt(NOW_MS) * 1_000_000n, jobIdKeys: ["messaging.message.id"] }).spans]);
  });
});
