import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { TRACE_REQUEST_TAGS } from "./trace-proto-fields";

// @opentelemetry/otlp-transformer@0.57 ships protobufjs static code generated from the official .proto files, without
// reflection descriptors, so each field's number and wire type are read off its behaviour: the official decoder says
// which field a number fills, and the official encoder says which tag it writes for that field.
interface GeneratedType {
  new (): Record<string, unknown>;
  prototype: Record<string, unknown>;
  decode(bytes: Uint8Array): Record<string, unknown>;
  encode(message: unknown): { finish(): Uint8Array };
}

const require = createRequire(import.meta.url);
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js") as Record<string, unknown>;

function generatedType(fullName: string): GeneratedType {
  return fullName.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as GeneratedType;
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

function readVarint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0, shift = 0; i < 5; i++, shift += 7) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if (bytes[i]! < 0x80) return value;
  }
  throw new Error("tag too long");
}

/** One probe value that each protobuf reader accepts: a zero varint / empty length, or eight / four zero bytes. */
const PAYLOADS = [[0x00], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0]];
const MAX_PROBED_FIELD_NUMBER = 64;

function fieldFilledBy(type: GeneratedType, fieldNumber: number): { name: string; message: Record<string, unknown> } | null {
  const fresh = new type();
  for (const payload of PAYLOADS) {
    let message: Record<string, unknown>;
    try {
      // The generated decoder picks the field by number alone, so the probe's wire type does not matter.
      message = type.decode(Uint8Array.from([...varint((fieldNumber << 3) | 2), ...payload]));
    } catch {
      continue;
    }
    const filled = Object.keys(message).filter((key) => {
      const before = fresh[key];
      const after = message[key];
      return Array.isArray(after) ? after.length !== (before as unknown[]).length : !Object.prototype.hasOwnProperty.call(fresh, key);
    });
    if (filled.length > 1) throw new Error(`field ${fieldNumber} filled ${filled.join(", ")}`);
    if (filled.length === 1) return { name: filled[0]!, message };
  }
  return null;
}

/** Field name → tag (number << 3 | wire type) per the official generated code. */
function officialTags(type: GeneratedType): Record<string, number> {
  const tags: Record<string, number> = {};
  for (let fieldNumber = 1; fieldNumber <= MAX_PROBED_FIELD_NUMBER; fieldNumber++) {
    const filled = fieldFilledBy(type, fieldNumber);
    if (filled === null) continue;
    const tag = readVarint(type.encode(filled.message).finish());
    expect(tag >>> 3, `${filled.name} re-encodes under its own number`).toBe(fieldNumber);
    tags[filled.name] = tag;
  }
  return tags;
}

function declaredFieldNames(type: GeneratedType): string[] {
  return Object.keys(type.prototype).filter((key) => typeof type.prototype[key] !== "function");
}

describe("the fast trace decoder's field tags", () => {
  it.each(Object.keys(TRACE_REQUEST_TAGS))("%s: every field, number and wire type as officially defined", (messageName) => {
    const type = generatedType(messageName);
    const official = officialTags(type);
    // Probing stops at MAX_PROBED_FIELD_NUMBER; the prototype lists every declared field, so none hides beyond it.
    expect(Object.keys(official).sort()).toEqual(declaredFieldNames(type).sort());
    expect(TRACE_REQUEST_TAGS[messageName as keyof typeof TRACE_REQUEST_TAGS]).toEqual(official);
  });

  it("covers every message type reachable from ExportTraceServiceRequest", () => {
    const nested: Record<string, string> = {
      "ExportTraceServiceRequest.resourceSpans": "opentelemetry.proto.trace.v1.ResourceSpans",
      "ResourceSpans.resource": "opentelemetry.proto.resource.v1.Resource",
      "ResourceSpans.scopeSpans": "opentelemetry.proto.trace.v1.ScopeSpans",
      "ScopeSpans.scope": "opentelemetry.proto.common.v1.InstrumentationScope",
      "ScopeSpans.spans": "opentelemetry.proto.trace.v1.Span",
      "Span.events": "opentelemetry.proto.trace.v1.Span.Event",
      "Span.links": "opentelemetry.proto.trace.v1.Span.Link",
      "Span.status": "opentelemetry.proto.trace.v1.Status",
      "Span.attributes": "opentelemetry.proto.common.v1.KeyValue",
      "KeyValue.value": "opentelemetry.proto.common.v1.AnyValue",
      "AnyValue.arrayValue": "opentelemetry.proto.common.v1.ArrayValue",
      "AnyValue.kvlistValue": "opentelemetry.proto.common.v1.KeyValueList",
    };
    expect(Object.keys(TRACE_REQUEST_TAGS).sort()).toEqual(["opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest", ...new Set(Object.values(nested))].sort());
  });
});
