import { describe, expect, it } from "vitest";
import { decodeLogsRequest, decodeMetricsRequest, decodeTraceRequest, type DecodeResult } from "./decode";
import { normaliseLogs } from "./normalise-logs";
import { normaliseMetrics } from "./normalise-metrics";
import { normaliseTraces } from "./normalise-traces";
import { seededRandom } from "../../../random/seeded";
import { BASE_UNIX_NANO, buildTraceBatch, encodeTraceJson, str } from "../../../../tests/fixtures/otlp-payloads";

const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";
const NOW = BASE_UNIX_NANO;

function withSpan(span: Record<string, unknown>, index = 0): string {
  const ok = { traceId: TRACE, spanId: SPAN };
  const spans = Array.from({ length: index }, () => ok);
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [...spans, { ...ok, ...span }] }] }] });
}

function nestedValue(depth: number): unknown {
  let value: unknown = { stringValue: "leaf" };
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
  return value;
}

function reasonOf(result: DecodeResult<unknown>): string {
  return result.ok ? "ok" : result.reason;
}

describe("decodeTraceRequest with OTLP/JSON", () => {
  const spanPath = "resourceSpans[0].scopeSpans[0].spans";
  it.each([
    ["not JSON", "{resourceSpans", /^invalid JSON: /],
    ["a top-level array", "[]", /^invalid OTLP\/JSON: expected a JSON object at the top level$/],
    ["resourceSpans not an array", '{"resourceSpans":{}}', /^invalid OTLP\/JSON: resourceSpans: expected array$/],
    ["a span that is a number", '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}', /spans\[0\]: expected object$/],
    ["a non-hex trace ID", withSpan({ traceId: "zz".repeat(16) }, 3), new RegExp(`${spanPath.replace(/[[\]]/g, "\\$&")}\\[3\\]\\.traceId: expected hex string$`)],
    ["a base64 span ID", withSpan({ spanId: "7uGbfsPBsXQ=" }), /spans\[0\]\.spanId: expected hex string$/],
    ["a numeric trace ID", withSpan({ traceId: 12 }), /traceId: expected hex string$/],
    ["a negative time", withSpan({ startTimeUnixNano: "-1" }), /startTimeUnixNano: expected unsigned 64-bit integer/],
    ["a fractional time", withSpan({ endTimeUnixNano: 1.5 }), /endTimeUnixNano: expected unsigned 64-bit integer/],
    ["a time past 2^64", withSpan({ endTimeUnixNano: "18446744073709551616" }), /endTimeUnixNano: expected unsigned/],
    ["an enum as a name", withSpan({ kind: "SPAN_KIND_SERVER" }), /kind: expected integer in \[0, 2147483647\]$/],
    ["a name that is a number", withSpan({ name: 5 }), /name: expected string, got number$/],
    ["a bad intValue", withSpan({ attributes: [{ key: "a", value: { intValue: "12x" } }] }), /attributes\[0\]\.value\.intValue: expected 64-bit integer/],
    ["bad bytes", withSpan({ attributes: [{ key: "a", value: { bytesValue: "!!" } }] }), /bytesValue: expected base64 string$/],
    ["attributes as an object", withSpan({ attributes: { a: 1 } }), /spans\[0\]\.attributes: expected array$/],
    ["40 levels of nesting", withSpan({ attributes: [{ key: "deep", value: nestedValue(40) }] }), /nested deeper than 32 levels$/],
  ])("rejects %s", (_case, body, reason) => {
    expect(reasonOf(decodeTraceRequest(body, "json"))).toMatch(reason);
  });

  it("rejects bytes that are not UTF-8", () => {
    expect(reasonOf(decodeTraceRequest(new Uint8Array([0x7b, 0xff, 0x7d]), "json"))).toMatch(/^invalid JSON: /);
  });

  it("accepts int64 as strings or numbers, doubles as NaN / Infinity text, and ignores unknown and snake_case keys", () => {
    const body = withSpan({
      start_time_unix_nano: "nonsense",
      startTimeUnixNano: 1_700_000_000_000_000,
      endTimeUnixNano: "1700000000000000001",
      attributes: [
        { key: "n", value: { intValue: 7 } },
        { key: "inf", value: { doubleValue: "Infinity" } },
        { key: "nan", value: { doubleValue: "NaN" } },
      ],
    });
    const result = decodeTraceRequest(body, "json");
    if (!result.ok) throw new Error(result.reason);
    const span = result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(span?.startTimeUnixNano).toBe(1_700_000_000_000_000n);
    expect(span?.endTimeUnixNano).toBe(1_700_000_000_000_000_001n);
    expect(span?.attributes.map((a) => a.value)).toEqual([7, "Infinity", "NaN"]);
  });

  it("decodes an empty object as an empty request", () => {
    expect(decodeTraceRequest("{}", "json")).toEqual({ ok: true, value: { resourceSpans: [] } });
  });
});

describe("decodeTraceRequest with protobuf", () => {
  const valid = encodeTraceJson(buildTraceBatch(3));

  it.each([
    ["truncated by one byte", valid.subarray(0, valid.length - 1), /^invalid protobuf: index out of range: \d+ \+ \d+ > \d+$/],
    ["truncated to half", valid.subarray(0, valid.length >> 1), /^invalid protobuf: index out of range/],
    // Field 99 with wire type 7: unknown fields are skipped by wire type, and 7 does not exist.
    ["an invalid wire type", new Uint8Array([0x9f, 0x06]), /^invalid protobuf: invalid wire type 7 at offset \d+$/],
    ["a string", "resourceSpans", /^invalid protobuf: expected bytes, got a string$/],
  ])("rejects %s", (_case, body, reason) => {
    expect(reasonOf(decodeTraceRequest(body, "protobuf"))).toMatch(reason);
  });

  it("decodes zero bytes as an empty request", () => {
    expect(decodeTraceRequest(new Uint8Array(0), "protobuf")).toEqual({ ok: true, value: { resourceSpans: [] } });
  });

  it("gives the same value as the JSON decoder for the same request", () => {
    const json = decodeTraceRequest(JSON.stringify(buildTraceBatch(20)), "json");
    expect(decodeTraceRequest(encodeTraceJson(buildTraceBatch(20)), "protobuf")).toEqual(json);
  });
});

describe("decoders never throw on garbage", () => {
  const decoders = [
    (body: Uint8Array | string, encoding: "json" | "protobuf") => {
      const r = decodeTraceRequest(body, encoding);
      if (r.ok) normaliseTraces(r.value, { nowUnixNano: NOW });
      return r.ok;
    },
    (body: Uint8Array | string, encoding: "json" | "protobuf") => {
      const r = decodeMetricsRequest(body, encoding);
      if (r.ok) normaliseMetrics(r.value, { nowUnixNano: NOW });
      return r.ok;
    },
    (body: Uint8Array | string, encoding: "json" | "protobuf") => {
      const r = decodeLogsRequest(body, encoding);
      if (r.ok) normaliseLogs(r.value, { nowUnixNano: NOW });
      return r.ok;
    },
  ];

  it("random bytes (seeded, 3 x 5,000 bodies)", () => {
    const random = seededRandom(20261123);
    for (let i = 0; i < 5_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      for (const decode of decoders) {
        expect(() => decode(bytes, "protobuf")).not.toThrow();
        expect(() => decode(bytes, "json")).not.toThrow();
      }
    }
  });

  it("mutated valid requests (seeded, 5,000 protobuf and 5,000 JSON mutations)", () => {
    const random = seededRandom(42);
    const proto = encodeTraceJson(buildTraceBatch(4));
    const text = JSON.stringify(buildTraceBatch(4));
    let decodedSome = 0;
    for (let i = 0; i < 5_000; i++) {
      const bytes = Uint8Array.from(proto);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const chars = text.split("");
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95));
      for (const decode of decoders) {
        expect(() => decode(bytes, "protobuf")).not.toThrow();
        if (decode(chars.join(""), "json")) decodedSome++;
      }
    }
    expect(decodedSome).toBeGreaterThan(0);
  });

  it("a well-formed request with 10,000 attributes on one span decodes", () => {
    const attributes = Array.from({ length: 10_000 }, (_, i) => str(`k${i}`, "v"));
    const result = decodeTraceRequest(withSpan({ attributes }), "json");
    expect(result.ok && result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes.length).toBe(10_000);
  });
});
