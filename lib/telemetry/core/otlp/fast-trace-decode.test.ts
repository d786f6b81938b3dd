import { createRequire } from "node:module";
import { SpanKind, SpanStatusCode, context, trace, type Attributes as OtelAttributes, type Link } from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { hexId, T0, traceRequest, type SpanSpec } from "../../../../tests/helpers/telemetry-fixtures";
import { seededRandom } from "../../../random/seeded";
import { decodeTraceRowsFast } from "./fast-trace-decode";
import { encodeOtlpObject, traceCollector } from "./generated";
import { expectSamePaths, generalPath } from "../../../../tests/fixtures/otlp-trace-paths";
import { BASE_UNIX_NANO, buildTraceBatch, encodeTraceJson, int, str } from "../../../../tests/fixtures/otlp-payloads";
import { fixed64Field, lenField, stringField, tag, varint, varintField, WIRE } from "../../../../tests/fixtures/otlp-wire";
import type { AttributeValue, OtlpTraceRequest } from "./types";

const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;
const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

/** Both the Buffer a receiver hands over and a plain Uint8Array (protobufjs decodes strings differently for each). */
function bothForms(bytes: Uint8Array): Uint8Array[] {
  return [Buffer.from(bytes), Uint8Array.from(bytes)];
}

function expectSame(bytes: Uint8Array | number[], options: Parameters<typeof expectSamePaths>[1] = { nowUnixNano: NOW }): boolean[] {
  return bothForms(Uint8Array.from(bytes)).map((form) => expectSamePaths(form, options));
}

// --- fixtures ------------------------------------------------------------------------------------------------------

function anyValueObject(value: AttributeValue): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValueObject) } };
  return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: anyValueObject(v) })) } };
}

/** A decoded request (tests/helpers/telemetry-fixtures.ts) back into protobuf bytes through the official encoder. */
function encodeTraceRequest(request: OtlpTraceRequest): Uint8Array {
  const kvs = (pairs: OtlpTraceRequest["resourceSpans"][number]["resource"]["attributes"]) => pairs.map((p) => ({ key: p.key, value: anyValueObject(p.value) }));
  const id = (hex: string) => Buffer.from(hex, "hex");
  const time = (ns: bigint) => ns.toString();
  return encodeOtlpObject(traceCollector.request, {
    resourceSpans: request.resourceSpans.map((rs) => ({
      resource: { attributes: kvs(rs.resource.attributes), droppedAttributesCount: rs.resource.droppedAttributesCount },
      schemaUrl: rs.schemaUrl,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: { name: ss.scope.name, version: ss.scope.version, attributes: kvs(ss.scope.attributes) },
        schemaUrl: ss.schemaUrl,
        spans: ss.spans.map((s) => ({
          ...s,
          traceId: id(s.traceId), spanId: id(s.spanId), parentSpanId: id(s.parentSpanId),
          startTimeUnixNano: time(s.startTimeUnixNano), endTimeUnixNano: time(s.endTimeUnixNano),
          attributes: kvs(s.attributes),
          events: s.events.map((e) => ({ ...e, timeUnixNano: time(e.timeUnixNano), attributes: kvs(e.attributes) })),
          links: s.links.map((l) => ({ ...l, traceId: id(l.traceId), spanId: id(l.spanId), attributes: kvs(l.attributes) })),
          status: { code: s.statusCode, message: s.statusMessage },
        })),
      })),
    })),
  });
}

const FIXTURE_SPECS: SpanSpec[] = [
  { service: "api", traceId: hexId(32, 1), spanId: hexId(16, 1), name: "POST /jobs", kind: 2, startNs: T0, durationMs: 12.5, attributes: { "http.request.method": "POST", "http.route": "/jobs", "http.response.status_code": 202, "job.id": "job-1" } },
  { service: "api", traceId: hexId(32, 1), spanId: hexId(16, 2), parentSpanId: hexId(16, 1), name: "jobs publish", kind: 4, startNs: T0 + 1_000n, durationMs: 0.2, attributes: { "messaging.system": "rabbitmq", "messaging.operation": "publish", "messaging.destination": "jobs", "job.id": 7 } },
  {
    service: "worker", traceId: hexId(32, 1), spanId: hexId(16, 3), parentSpanId: hexId(16, 2), name: "jobs process", kind: 5, startNs: T0 + 5_000_000n, durationMs: 900, error: true, statusMessage: "CUDA out of memory",
    attributes: { "celery.task_id": "task-9", "job.attempt": "3", "messaging.operation.type": "deliver", nested: { a: [1, 2.5, true, null, "x"], b: { c: "d" } }, "": "empty key", "ключ": "значение 🔑" },
    events: [{ timeUnixNano: T0 + 6_000_000n, name: "exception", attributes: { "exception.message": "boom", "exception.type": "OOM" } }, { timeUnixNano: T0 + 7_000_000n, name: "retry" }],
    links: [{ traceId: hexId(32, 1), spanId: hexId(16, 2) }, { traceId: "00", spanId: hexId(16, 2) }, { traceId: hexId(32, 0), spanId: hexId(16, 2) }],
  },
  { service: "worker", traceId: hexId(32, 2), spanId: hexId(16, 0), name: "bad span ID", kind: 1, startNs: T0, durationMs: 1 },
  { service: "worker", traceId: hexId(32, 2), spanId: hexId(16, 5), parentSpanId: "abcd", name: "bad parent", kind: 3, startNs: T0, durationMs: 1 },
  { service: "worker", traceId: hexId(32, 2), spanId: hexId(16, 6), name: "ancient", kind: 3, startNs: 1_000n, durationMs: 1 },
  { service: "gpu", traceId: hexId(32, 3), spanId: hexId(16, 7), name: "infer", kind: 0, startNs: T0, durationMs: 60_000, attributes: { "job.attempt": 2, big: 2 ** 60, neg: -5, ratio: 0.25, "messaging.servicebus.message.delivery_count": 4 } },
];

describe("the fast trace decoder against the generated one: fixtures", () => {
  const fixtureNow = T0 + 3_600_000_000_000n;

  it.each([
    ["telemetry fixtures", () => encodeTraceRequest(traceRequest(FIXTURE_SPECS))],
    ["one span per fixture", () => encodeTraceRequest(traceRequest(FIXTURE_SPECS.slice(0, 1)))],
    ["buildTraceBatch(500)", () => encodeTraceJson(buildTraceBatch(500))],
  ])("%s give identical rows and rejections", (_name, encode) => {
    for (const options of [{ nowUnixNano: fixtureNow }, { nowUnixNano: NOW }, { nowUnixNano: fixtureNow, jobIdKeys: ["celery.task_id"] }, { nowUnixNano: fixtureNow, attributeCountLimit: 2, eventCountLimit: 1, linkCountLimit: 0 }, { nowUnixNano: fixtureNow, attributeValueLengthLimit: 3 }]) {
      expect(expectSame(encode(), options)).toEqual([true, true]);
    }
  });

  it("rejects the same spans with the same partial-success message", () => {
    const result = generalPath(encodeTraceRequest(traceRequest(FIXTURE_SPECS)), { nowUnixNano: fixtureNow });
    expect(result.ok && [result.value.rejectedSpans, result.value.errorMessage]).toEqual([3, "resourceSpans[1].scopeSpans[0].spans[1].spanId: all-zero span ID"]);
  });

  it("gives an empty body no spans", () => {
    expect(expectSame([])).toEqual([true, true]);
  });
});

// --- the official serializers -------------------------------------------------------------------------------------

// The exporters Tailguard receives from serialize with their own otlp-transformer: 0.301's hand-written writer (used by
// @opentelemetry/exporter-trace-otlp-proto 0.301) and 0.57's protobufjs code, both loaded as published.
type Serializer = { serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined };
const requireFromExporter = createRequire(createRequire(import.meta.url).resolve("@opentelemetry/exporter-trace-otlp-proto"));
const SerializerV0301 = (requireFromExporter("@opentelemetry/otlp-transformer") as { ProtobufTraceSerializer: Serializer }).ProtobufTraceSerializer;
// Typed for SDK 1.x spans; asSdk1Span supplies the two fields it reads under their old names.
const SerializerV057 = ProtobufTraceSerializer as unknown as Serializer;

function attributesFor(random: () => number, i: number): OtelAttributes {
  const pool: OtelAttributes = {
    "job.id": `job-${i % 17}`, "job.attempt": (i % 4) + 1, "http.request.method": "GET", "http.route": "/v1/items/:id", "http.response.status_code": 200 + (i % 3),
    "messaging.system": "kafka", "messaging.operation.type": i % 2 === 0 ? "process" : "deliver", "messaging.destination.name": "orders", "messaging.message.id": `m-${i}`,
    ratio: random(), negative: -Math.floor(random() * 1e6), huge: 2 ** 62, tiny: Number.MIN_VALUE, ok: random() < 0.5, tags: ["a", "b", "ç"], counts: [1, 2, 3], flags: [true, false],
    "unicode.value": "naïve café ✓ 𝄞", empty: "", "__proto__": "proto-key", "db.query.text": "SELECT * FROM orders WHERE id = $1 AND tenant = $2 LIMIT 100",
  };
  const keys = Object.keys(pool);
  const out: OtelAttributes = {};
  for (let k = 0; k < keys.length; k++) if (random() < 0.45) Object.defineProperty(out, keys[k]!, { value: pool[keys[k]!], enumerable: true, writable: true, configurable: true });
  return out;
}

async function recordedSpans(count: number, seed: number): Promise<ReadableSpan[]> {
  const random = seededRandom(seed);
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "differential", "service.version": "9.9.9", "host.name": "h-1", "job.id": "resource-job" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracers = [provider.getTracer("scope-a", "1.0.0"), provider.getTracer("scope-b")];
  const kinds = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
  const links: Link[] = [];
  for (let i = 0; i < count; i++) {
    const tracer = tracers[i % 2]!;
    const parent = trace.setSpanContext(context.active(), { traceId: hexId(32, 1 + (i % 5)), spanId: hexId(16, 1 + i), traceFlags: 1, isRemote: i % 3 === 0, traceState: i % 4 === 0 ? new TraceState("vendor=a,other=b") : undefined });
    const span = tracer.startSpan(`op ${i % 9}`, { kind: kinds[i % kinds.length], attributes: attributesFor(random, i), links: links.slice(-(i % 3)) }, i % 2 === 0 ? parent : context.active());
    if (i % 5 === 0) span.addEvent("exception", { "exception.message": `failure ${i}`, "exception.type": "Error" });
    if (i % 7 === 0) span.addEvent("checkpoint");
    span.setStatus(i % 6 === 0 ? { code: SpanStatusCode.ERROR, message: "boom ✗" } : { code: i % 2 === 0 ? SpanStatusCode.OK : SpanStatusCode.UNSET });
    links.push({ context: span.spanContext(), attributes: { "link.kind": `k${i % 2}` } });
    span.end();
  }
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** The 0.57 serializer reads the SDK 1.x field names; the spans keep their methods through the prototype. */
function asSdk1Span(span: ReadableSpan): ReadableSpan {
  return Object.assign(Object.create(span) as ReadableSpan, { instrumentationLibrary: span.instrumentationScope, parentSpanId: span.parentSpanContext?.spanId });
}

describe("the fast trace decoder against the generated one: the official exporters' serializers", () => {
  it.each([
    ["@opentelemetry/otlp-transformer 0.301 (exporter-trace-otlp-proto)", (spans: ReadableSpan[]) => SerializerV0301.serializeRequest(spans)],
    ["@opentelemetry/otlp-transformer 0.57 (protobufjs)", (spans: ReadableSpan[]) => SerializerV057.serializeRequest(spans.map(asSdk1Span))],
  ])("%s: 5 batches of recorded spans give identical rows", async (_name, serialize) => {
    for (let seed = 1; seed <= 5; seed++) {
      const bytes = serialize(await recordedSpans(40 * seed, seed));
      if (bytes === undefined) throw new Error("the serializer returned nothing");
      const nowUnixNano = BigInt(Date.now()) * 1_000_000n;
      expect(expectSame(bytes, { nowUnixNano })).toEqual([true, true]);
      expect(expectSame(bytes, { nowUnixNano, jobIdKeys: ["messaging.message.id"], attributeCountLimit: 3 })).toEqual([true, true]);
    }
  });
});

// --- hand-made wire forms -----------------------------------------------------------------------------------------

const kv = (key: string, value: number[]) => [...stringField(1, key), ...lenField(2, value)];
const stringValue = (text: string) => stringField(1, text);
const idField = (fieldNumber: number, hex: string) => lenField(fieldNumber, Buffer.from(hex, "hex"));
const goodSpanFields = (): number[] => [...idField(1, TRACE), ...idField(2, SPAN), ...fixed64Field(7, BASE_UNIX_NANO), ...fixed64Field(8, BASE_UNIX_NANO + 5n)];
const request = (span: number[], { resource = [] as number[], scope = [] as number[], resourceLast = false } = {}) => {
  const scopeSpans = lenField(2, [...(scope.length ? lenField(1, scope) : []), ...lenField(2, span)]);
  const resourceField = resource.length ? lenField(1, resource) : [];
  return lenField(1, resourceLast ? [...scopeSpans, ...resourceField] : [...resourceField, ...scopeSpans]);
};
const nested = (depth: number): number[] => (depth === 0 ? stringValue("leaf") : lenField(5, lenField(1, nested(depth - 1))));
const attribute = (value: number[]) => request([...goodSpanFields(), ...lenField(9, kv("a", value))]);

const BOTH = [true, true];
const NEITHER = [false, false];
const BUFFER_ONLY = [true, false];

describe("the fast trace decoder against the generated one: hand-made wire forms", () => {
  const service = lenField(1, kv("service.name", stringValue("svc")));

  it.each([
    ["the resource after its spans", BOTH, request(goodSpanFields(), { resource: service, resourceLast: true })],
    ["the scope after its spans", BOTH, lenField(1, lenField(2, [...lenField(2, goodSpanFields()), ...lenField(1, stringField(1, "late-scope"))]))],
    ["span fields in reverse order", BOTH, request([...fixed64Field(8, BASE_UNIX_NANO + 5n), ...fixed64Field(7, BASE_UNIX_NANO), ...idField(2, SPAN), ...idField(1, TRACE)])],
    ["unknown fields of every plain wire type at every level", BOTH, lenField(1, [...varintField(99, 5), ...lenField(2, [...fixed64Field(77, 1n), ...lenField(2, [...goodSpanFields(), ...tag(16, WIRE.I32), 1, 0, 0, 0, ...lenField(9, [...kv("k", [...stringValue("v"), ...varintField(40, 1)]), ...lenField(30, [1, 2, 3])])])])])],
    ["a repeated resource (the last wins)", BOTH, lenField(1, [...lenField(1, service), ...lenField(1, lenField(1, kv("service.name", stringValue("other")))), ...lenField(2, lenField(2, goodSpanFields()))])],
    ["two status messages", BOTH, request([...goodSpanFields(), ...lenField(15, [...varintField(3, 2), ...stringField(2, "first")]), ...lenField(15, varintField(3, 1))])],
    ["a KeyValue with two values", BOTH, request([...goodSpanFields(), ...lenField(9, [...kv("a", stringValue("x")), ...lenField(2, varintField(3, 7))])])],
    ["padded varints (tags, lengths, counts)", BOTH, [...tag(1, WIRE.LEN, 3), ...varint(request(goodSpanFields()).length - 2, 5), ...request(goodSpanFields()).slice(2), ...varintField(98, 1, 5)]],
    ["a 10-byte uint32 count", NEITHER, request([...goodSpanFields(), ...varintField(10, 2n ** 40n + 3n, 10)])],
    ["a negative kind", NEITHER, request([...goodSpanFields(), ...varintField(6, -1)])],
    ["a kind of 2^31", NEITHER, request([...goodSpanFields(), ...varintField(6, 2 ** 31)])],
    ["a negative status code", NEITHER, request([...goodSpanFields(), ...lenField(15, varintField(3, -2))])],
    ["a known field with another wire type", NEITHER, request([...goodSpanFields(), ...varintField(5, 12)])],
    ["a known length field as fixed64", NEITHER, request([...goodSpanFields(), ...fixed64Field(9, 0n)])],
    ["a group", NEITHER, request([...goodSpanFields(), ...tag(50, WIRE.GROUP_START), ...varintField(1, 1), ...tag(50, WIRE.GROUP_END)])],
    ["wire type 6", NEITHER, request([...goodSpanFields(), ...tag(50, 6), 0])],
    ["wire type 7 at the top", NEITHER, [...tag(99, 7)]],
    ["a length past its parent", NEITHER, (() => {
      const span = goodSpanFields();
      const inner = [...tag(2, WIRE.LEN), span.length + 4, ...span];
      return [...tag(1, WIRE.LEN), inner.length + 2, ...tag(2, WIRE.LEN), inner.length, ...inner, 0, 0, 0, 0];
    })()],
    ["a body cut short", NEITHER, request(goodSpanFields()).slice(0, -3)],
    ["an AnyValue with two members", NEITHER, attribute([...stringValue("x"), ...varintField(3, 5)])],
    ["an AnyValue member twice", NEITHER, attribute([...stringValue("x"), ...stringValue("y")])],
    ["nesting 32 levels deep", BOTH, attribute(nested(32))],
    ["nesting 33 levels deep", NEITHER, attribute(nested(33))],
    ["a deep value replaced by a shallow one", NEITHER, request([...goodSpanFields(), ...lenField(9, [...kv("a", nested(40)), ...lenField(2, stringValue("ok"))])])],
    ["a bool sent as a 5-byte varint of high bits", BOTH, attribute(varintField(2, 2n ** 32n, 5).slice(0, 6))],
    ["int64 edges", BOTH, request([...goodSpanFields(), ...[2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n), -(2n ** 53n) + 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 0n].flatMap((n, i) => lenField(9, kv(`i${i}`, varintField(3, n))))])],
    ["doubles: NaN, ±Infinity, -0", BOTH, request([...goodSpanFields(), ...[NaN, Infinity, -Infinity, -0, 5e-324].flatMap((n, i) => { const b = Buffer.alloc(8); b.writeDoubleLE(n); return lenField(9, kv(`d${i}`, [...tag(4, WIRE.I64), ...b])); })])],
    ["invalid UTF-8 and a lone surrogate in strings", BUFFER_ONLY, request([...goodSpanFields(), ...lenField(5, [0x6f, 0xff, 0x6b]), ...lenField(9, [...lenField(1, [0xed, 0xa0, 0x80]), ...lenField(2, lenField(1, [0xc3]))])])],
    ["`__proto__`, repeated and empty keys", BOTH, request([...goodSpanFields(), ...lenField(9, kv("__proto__", stringValue("p"))), ...lenField(9, kv("a", stringValue("1"))), ...lenField(9, kv("a", stringValue("2"))), ...lenField(9, kv("", stringValue("e")))])],
    ["200 events and 200 links, some links malformed", BOTH, request([...goodSpanFields(), ...Array.from({ length: 200 }, (_, i) => [...lenField(11, [...stringField(2, `e${i}`), ...fixed64Field(1, BASE_UNIX_NANO)]), ...lenField(13, [...idField(1, i % 3 ? TRACE : "00"), ...idField(2, SPAN)])]).flat()])],
  ] as Array<[string, boolean[], number[]]>)("%s (read by the fast decoder from a Buffer / a Uint8Array: %j)", (_name, fast, bytes) => {
    expect(expectSame(bytes)).toEqual(fast);
    expect(expectSame(bytes, { nowUnixNano: NOW, attributeCountLimit: 1, eventCountLimit: 3, linkCountLimit: 2 })).toEqual(fast);
    // Cuts "svc" (a resource read before or after its spans, or twice) and "leaf", and would split a surrogate pair.
    expect(expectSame(bytes, { nowUnixNano: NOW, attributeValueLengthLimit: 2 })).toEqual(fast);
  });

  it("gives malformed bodies the generated decoder's reasons", () => {
    const reasons = [request(goodSpanFields()).slice(0, -3), [...tag(99, 7)], request([...goodSpanFields(), ...varintField(6, -1)]), attribute(nested(33))].map((bytes) => {
      const result = generalPath(Buffer.from(bytes), { nowUnixNano: NOW });
      return result.ok ? "ok" : result.reason;
    });
    expect(reasons).toEqual([
      expect.stringMatching(/^invalid protobuf: index out of range/),
      expect.stringMatching(/^invalid protobuf: invalid wire type 7 at offset \d+$/),
      "invalid protobuf: resourceSpans[0].scopeSpans[0].spans[0].kind: expected integer in [0, 2147483647]",
      expect.stringMatching(/^invalid protobuf: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+\.value: nested deeper than 32 levels$/),
    ]);
  });
});

describe("the fast trace decoder: OTLP/JSON-shaped fixtures through protobuf", () => {
  it("str/int helpers and snake-free keys agree", () => {
    const json = { resourceSpans: [{ resource: { attributes: [str("service.name", "s"), int("job.attempt", "9007199254740993")] }, scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, startTimeUnixNano: String(BASE_UNIX_NANO), endTimeUnixNano: String(BASE_UNIX_NANO + 1n), attributes: [int("n", -3)] }] }] }] };
    expect(expectSame(encodeTraceJson(json))).toEqual([true, true]);
  });
});
