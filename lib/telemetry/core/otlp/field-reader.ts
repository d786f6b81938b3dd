// Reads OTLP fields from a protobufjs-decoded message or a parsed OTLP/JSON object, failing with the field's path.
//
// One walker serves both encodings because protobufjs uses the same lowerCamelCase names as OTLP/JSON; only the
// leaf types differ (Long and Uint8Array from protobuf; strings and numbers from JSON), and those are handled here.

export type Fields = Record<string, unknown>;

/** Thrown inside the walk only; the decode entry points catch it and return `{ ok: false, reason }`. */
export class OtlpFieldError extends Error {}

interface LongBits {
  low: number;
  high: number;
}

const UINT64_MAX = (1n << 64n) - 1n;
const DECIMAL = /^-?\d{1,20}$/;
const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isLong(value: unknown): value is LongBits {
  return typeof value === "object" && value !== null && typeof (value as LongBits).low === "number" && typeof (value as LongBits).high === "number";
}

function longToBigint(value: LongBits, signed: boolean): bigint {
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

function bytesToBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class FieldReader {
  private readonly path: Array<string | number> = [];

  constructor(private readonly fromProtobuf: boolean) {}

  fail(key: string | number, problem: string): never {
    let text = "";
    for (const part of [...this.path, key]) {
      text += typeof part === "number" ? `[${part}]` : text === "" ? part : `.${part}`;
    }
    throw new OtlpFieldError(`${text}: ${problem}`);
  }

  /** A repeated message field; `readItem` runs with the path pointing at `key[i]`. */
  list<T>(obj: Fields, key: string, readItem: (item: Fields) => T): T[] {
    const value = obj[key];
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, "expected array");
    const out: T[] = new Array<T>(value.length);
    this.path.push(key);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null || Array.isArray(item)) this.fail(i, "expected object");
      this.path.push(i);
      out[i] = readItem(item as Fields);
      this.path.pop();
    }
    this.path.pop();
    return out;
  }

  /** A singular message field, read with the path pointing at it; `null` when absent. */
  message<T>(obj: Fields, key: string, read: (item: Fields) => T): T | null {
    const value = obj[key];
    if (value === null || value === undefined) return null;
    if (typeof value !== "object" || Array.isArray(value)) this.fail(key, "expected object");
    this.path.push(key);
    const out = read(value as Fields);
    this.path.pop();
    return out;
  }

  string(obj: Fields, key: string): string {
    const value = obj[key];
    if (value === null || value === undefined) return "";
    if (typeof value !== "string") this.fail(key, `expected string, got ${typeof value}`);
    return value;
  }

  bool(obj: Fields, key: string): boolean {
    const value = obj[key];
    if (value === null || value === undefined) return false;
    if (typeof value !== "boolean") this.fail(key, `expected boolean, got ${typeof value}`);
    return value;
  }

  /** int32 / uint32 / enum: OTLP/JSON enums are integers; numeric strings are accepted as proto3 JSON allows. */
  integer(obj: Fields, key: string, min: number, max: number): number {
    const value = obj[key];
    if (value === null || value === undefined) return 0;
    const n = typeof value === "string" && DECIMAL.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) this.fail(key, `expected integer in [${min}, ${max}]`);
    return n;
  }

  uint32(obj: Fields, key: string): number {
    return this.integer(obj, key, 0, 0xffffffff);
  }

  /** A fixed64 Unix-nanosecond time (0n when unset). JSON numbers past 2^53 were already rounded by JSON.parse. */
  unixNano(obj: Fields, key: string): bigint {
    const value = obj[key];
    if (value === null || value === undefined) return 0n;
    if (this.fromProtobuf && isLong(value)) return longToBigint(value, false);
    if (typeof value === "string" && DECIMAL.test(value)) {
      const n = BigInt(value);
      if (n >= 0n && n <= UINT64_MAX) return n;
    } else if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
      return BigInt(value);
    }
    return this.fail(key, "expected unsigned 64-bit integer (decimal string or number)");
  }

  /** A 64-bit count as a JS number: counts past 2^53 lose precision, as they do in every metrics backend. */
  count(obj: Fields, key: string): number {
    const value = obj[key];
    if (value === null || value === undefined) return 0;
    if (this.fromProtobuf && isLong(value)) return (value.high >>> 0) * 4294967296 + (value.low >>> 0);
    return this.countValue(value, key);
  }

  counts(obj: Fields, key: string): number[] {
    const value = obj[key];
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, "expected array");
    return value.map((item: unknown, i) =>
      this.fromProtobuf && isLong(item) ? (item.high >>> 0) * 4294967296 + (item.low >>> 0) : this.countValue(item, `${key}[${i}]`),
    );
  }

  private countValue(value: unknown, key: string): number {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    if (typeof value === "string" && DECIMAL.test(value) && !value.startsWith("-")) return Number(value);
    return this.fail(key, "expected unsigned 64-bit integer (decimal string or number)");
  }

  /** A signed int64 (AnyValue.intValue): a number while exact, else its decimal string, so JSON keeps every digit. */
  int64(obj: Fields, key: string): number | string {
    const value = obj[key];
    let n: bigint;
    if (this.fromProtobuf && isLong(value)) n = longToBigint(value, true);
    else if (typeof value === "string" && DECIMAL.test(value)) n = BigInt.asIntN(64, BigInt(value));
    else if (typeof value === "number" && Number.isInteger(value)) return value;
    else return this.fail(key, "expected 64-bit integer (decimal string or number)");
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }

  double(obj: Fields, key: string): number {
    return this.optionalDouble(obj, key) ?? 0;
  }

  /** A double; proto3 JSON also allows "NaN", "Infinity", "-Infinity" and numeric strings. */
  optionalDouble(obj: Fields, key: string): number | null {
    const value = obj[key];
    if (value === null || value === undefined) return null;
    return this.doubleValue(value, key);
  }

  doubles(obj: Fields, key: string): number[] {
    const value = obj[key];
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, "expected array");
    return value.map((item: unknown, i) => this.doubleValue(item, `${key}[${i}]`));
  }

  private doubleValue(value: unknown, key: string): number {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "") {
      const n = Number(value);
      if (!Number.isNaN(n) || value === "NaN") return n;
    }
    return this.fail(key, "expected number");
  }

  /** traceId / spanId: bytes from protobuf, a hex string in OTLP/JSON (not base64). Length is checked later. */
  id(obj: Fields, key: string): string {
    const value = obj[key];
    if (value === null || value === undefined) return "";
    if (this.fromProtobuf && value instanceof Uint8Array) return bytesToBuffer(value).toString("hex");
    if (typeof value !== "string" || !HEX.test(value) || value.length % 2 !== 0) this.fail(key, "expected hex string");
    return value.toLowerCase();
  }

  /** AnyValue.bytesValue as base64 text, the form OTLP/JSON uses for bytes. */
  bytesBase64(obj: Fields, key: string): string {
    const value = obj[key];
    if (this.fromProtobuf && value instanceof Uint8Array) return bytesToBuffer(value).toString("base64");
    if (typeof value !== "string" || !BASE64.test(value)) this.fail(key, "expected base64 string");
    return value;
  }
}
