// Reads the OTLP messages every signal shares (AnyValue, KeyValue, Resource, InstrumentationScope).
//
// AnyValue becomes JSON-compatible data: strings, booleans and doubles as themselves (NaN and ±Infinity as the
// strings "NaN", "Infinity", "-Infinity"), int64 as a number while exact and a decimal string past 2^53,
// bytes as base64 text, arrays as arrays, kvlists as objects, an empty AnyValue as null.
import type { FieldReader, Fields } from "./field-reader";
import type { AttributeValue, KeyValue, OtlpResource, OtlpScope } from "./types";

/** Deeper nesting is refused rather than walked: real attributes are shallow and recursion must stay bounded. */
export const MAX_ANY_VALUE_DEPTH = 32;

function finiteOrText(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** Sets a key even when it is `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function readAnyValue(r: FieldReader, v: Fields, depth: number): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) r.fail("value", `nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  if (v.stringValue != null) return r.string(v, "stringValue");
  if (v.boolValue != null) return r.bool(v, "boolValue");
  if (v.intValue != null) return r.int64(v, "intValue");
  if (v.doubleValue != null) return finiteOrText(r.double(v, "doubleValue"));
  if (v.arrayValue != null) {
    return r.message(v, "arrayValue", (a) => r.list(a, "values", (item) => readAnyValue(r, item, depth + 1))) ?? [];
  }
  if (v.kvlistValue != null) {
    const pairs = r.message(v, "kvlistValue", (l) => readKeyValues(r, l, "values", depth + 1)) ?? [];
    const out: Record<string, AttributeValue> = {};
    for (const pair of pairs) setOwn(out, pair.key, pair.value);
    return out;
  }
  if (v.bytesValue != null) return r.bytesBase64(v, "bytesValue");
  return null;
}

export function readKeyValues(r: FieldReader, obj: Fields, key: string, depth = 0): KeyValue[] {
  return r.list(obj, key, (kv) => ({
    key: r.string(kv, "key"),
    value: r.message(kv, "value", (v) => readAnyValue(r, v, depth)) ?? null,
  }));
}

const EMPTY_RESOURCE: OtlpResource = { attributes: [], droppedAttributesCount: 0 };
const EMPTY_SCOPE: OtlpScope = { name: "", version: "", attributes: [] };

export function readResource(r: FieldReader, parent: Fields): OtlpResource {
  return (
    r.message(parent, "resource", (res) => ({
      attributes: readKeyValues(r, res, "attributes"),
      droppedAttributesCount: r.uint32(res, "droppedAttributesCount"),
    })) ?? EMPTY_RESOURCE
  );
}

export function readScope(r: FieldReader, parent: Fields): OtlpScope {
  return (
    r.message(parent, "scope", (s) => ({
      name: r.string(s, "name"),
      version: r.string(s, "version"),
      attributes: readKeyValues(r, s, "attributes"),
    })) ?? EMPTY_SCOPE
  );
}
