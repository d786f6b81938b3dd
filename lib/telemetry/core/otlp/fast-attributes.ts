// Reads OTLP KeyValue / AnyValue straight off the wire into attribute records, for the fast decoders: the same
// values, limits and `__proto__` handling as read-common.ts and keyValuesToAttributes, without the message objects.
import type { Attributes } from "./attributes";
import { MAX_ANY_VALUE_DEPTH, setOwn } from "./decode-common";
import { truncateAttributeValue } from "./span-limits";
import { knownFieldMask, TRACE_REQUEST_TAGS as TAGS } from "./trace-proto-fields";
import type { AttributeValue } from "./types";
import { NOT_FAST_PATH, type WireReader } from "./wire-reader";

const KEY_VALUE = TAGS["opentelemetry.proto.common.v1.KeyValue"];
const ANY_VALUE = TAGS["opentelemetry.proto.common.v1.AnyValue"];
const ARRAY_VALUE = TAGS["opentelemetry.proto.common.v1.ArrayValue"];
const KEY_VALUE_LIST = TAGS["opentelemetry.proto.common.v1.KeyValueList"];

const KNOWN = {
  keyValue: knownFieldMask(KEY_VALUE),
  anyValue: knownFieldMask(ANY_VALUE),
  arrayValue: knownFieldMask(ARRAY_VALUE),
  keyValueList: knownFieldMask(KEY_VALUE_LIST),
};

/** keyValuesToAttributes, one pair at a time: the first `limit` distinct keys, a repeated key overwriting. */
export class AttributeSet {
  readonly attributes: Attributes = {};
  dropped = 0;
  private kept = 0;
  private truncatedKeys: Set<string> | null = null;

  constructor(
    private readonly limit: number,
    private readonly valueLengthLimit = Infinity,
  ) {}

  /** Kept values whose strings were cut to the length limit. */
  get truncated(): number {
    return this.truncatedKeys?.size ?? 0;
  }

  add(key: string, value: AttributeValue): void {
    const known = Object.prototype.hasOwnProperty.call(this.attributes, key);
    if (!known && this.kept >= this.limit) {
      this.dropped++;
      return;
    }
    if (!known) this.kept++;
    const stored = this.valueLengthLimit === Infinity ? value : truncateAttributeValue(value, this.valueLengthLimit);
    setOwn(this.attributes, key, stored);
    if (stored !== value) (this.truncatedKeys ??= new Set()).add(key);
    else this.truncatedKeys?.delete(key);
  }
}

export class KeyValueReader {
  /** The last KeyValue read, kept here so that reading one allocates nothing beyond its value. */
  key = "";
  value: AttributeValue = null;

  constructor(private readonly r: WireReader) {}

  /** Reads one KeyValue into `key` / `value`; a repeated field keeps the last, as the generated decoder does. */
  keyValue(end: number, depth: number): void {
    const r = this.r;
    let key = "";
    let value: AttributeValue = null;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === KEY_VALUE.key) key = r.name(end);
      else if (tag === KEY_VALUE.value) value = this.anyValue(r.lengthEnd(end), depth);
      else r.skipUnknown(tag, KNOWN.keyValue, end);
    }
    this.key = key;
    this.value = value;
  }

  /** AnyValue as read-common.ts maps it. A second member would need the walk's precedence rules: not fast-path input. */
  private anyValue(end: number, depth: number): AttributeValue {
    if (depth > MAX_ANY_VALUE_DEPTH) throw NOT_FAST_PATH;
    const r = this.r;
    let value: AttributeValue = null;
    let seen = false;
    while (r.pos < end) {
      const tag = r.uint32(end);
      switch (tag) {
        case ANY_VALUE.stringValue: value = r.value(end); break;
        case ANY_VALUE.intValue: value = r.int64(end); break;
        case ANY_VALUE.boolValue: value = r.uint32(end) !== 0; break;
        case ANY_VALUE.doubleValue: {
          const n = r.double(end);
          value = Number.isFinite(n) ? n : String(n);
          break;
        }
        case ANY_VALUE.arrayValue: value = this.arrayValue(r.lengthEnd(end), depth + 1); break;
        case ANY_VALUE.kvlistValue: value = this.keyValueList(r.lengthEnd(end), depth + 1); break;
        case ANY_VALUE.bytesValue: value = r.base64(end); break;
        default:
          r.skipUnknown(tag, KNOWN.anyValue, end);
          continue;
      }
      if (seen) throw NOT_FAST_PATH;
      seen = true;
    }
    return value;
  }

  private arrayValue(end: number, depth: number): AttributeValue[] {
    const r = this.r;
    const values: AttributeValue[] = [];
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === ARRAY_VALUE.values) values.push(this.anyValue(r.lengthEnd(end), depth));
      else r.skipUnknown(tag, KNOWN.arrayValue, end);
    }
    return values;
  }

  private keyValueList(end: number, depth: number): Record<string, AttributeValue> {
    const r = this.r;
    const values: Record<string, AttributeValue> = {};
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === KEY_VALUE_LIST.values) {
        this.keyValue(r.lengthEnd(end), depth);
        setOwn(values, this.key, this.value);
      } else r.skipUnknown(tag, KNOWN.keyValueList, end);
    }
    return values;
  }
}
