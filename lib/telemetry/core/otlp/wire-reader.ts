// A bounded protobuf wire reader for the fast decoders. Every read stays inside the end it is given; anything a plain
// encoder would not write (a varint past its size, a group, a length beyond its parent) throws NOT_FAST_PATH, and
// the caller hands the bytes to the generated decoder instead.
import { isUtf8 } from "node:buffer";
import { MAX_RECENT_STRING_BYTES, RecentStrings } from "./recent-strings";
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "./trace-proto-fields";

/** Thrown inside a fast decoder only; its entry point catches it and returns null. Preallocated: it is control flow. */
export const NOT_FAST_PATH: unique symbol = Symbol("not on the fast path");

/**
 * Buffer's own decoders, which `buf.toString(encoding, start, end)` reaches after validating its arguments; called
 * directly they save that work on every field. Present on every Buffer since Node 0.x, but not in @types/node.
 */
type SlicingBuffer = Buffer & Record<"utf8Slice" | "hexSlice" | "base64Slice", (start: number, end: number) => string>;

const TWO_POW_32 = 4294967296;
const SAFE_HIGH_WORDS = 1 << 21;
const MAX_VARINT_BYTES = 10;

// Separate caches, so that values that never repeat cannot push out the keys that always do.
const names = new RecentStrings();
const values = new RecentStrings();
const ids = new RecentStrings();

function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

export class WireReader {
  pos = 0;
  private readonly buf: SlicingBuffer;
  private readonly view: DataView;
  /**
   * protobufjs decodes strings with Buffer's UTF-8 decoder when given a Buffer and with its own lenient decoder for
   * other byte arrays; the two agree on valid UTF-8 only, so for those arrays anything else leaves the fast path.
   */
  private readonly checkUtf8: boolean;

  constructor(bytes: Uint8Array) {
    this.checkUtf8 = !Buffer.isBuffer(bytes);
    this.buf = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as SlicingBuffer;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  /** A varint as protobufjs's `uint32()` reads it: at most five bytes, of the fifth only the low four bits. */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw NOT_FAST_PATH;
      const b = buf[pos++]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    if (pos >= end) throw NOT_FAST_PATH;
    const b = buf[pos++]!;
    if (b >= 0x80) throw NOT_FAST_PATH;
    this.pos = pos;
    return (value | ((b & 0x0f) << 28)) >>> 0;
  }

  /** A varint int64 (at most ten bytes, wrapped to 64 bits) as a number while exact, else its decimal string. */
  int64(end: number): number | string {
    const buf = this.buf;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (pos >= end) throw NOT_FAST_PATH;
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) low |= bits << (i * 7);
      else if (i === 4) {
        low |= bits << 28;
        high |= bits >>> 4;
      } else high |= bits << (i * 7 - 32);
      if (b < 0x80) {
        this.pos = pos;
        return int64Value(low >>> 0, high | 0);
      }
    }
    throw NOT_FAST_PATH;
  }

  /** The end offset of a length-delimited field that starts here, checked against the parent's end. */
  lengthEnd(end: number): number {
    const length = this.uint32(end);
    const fieldEnd = this.pos + length;
    if (fieldEnd > end) throw NOT_FAST_PATH;
    return fieldEnd;
  }

  fixed64(end: number): bigint {
    const pos = this.pos;
    if (pos + 8 > end) throw NOT_FAST_PATH;
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw NOT_FAST_PATH;
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  string(end: number): string {
    const fieldEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    return this.utf8(start, fieldEnd);
  }

  /** An attribute key, span name or the like: few distinct values recur across spans and requests. */
  name(end: number): string {
    return this.recurring(end, names);
  }

  /** A string attribute value: often low-cardinality (a method, a route, a queue), often not (an ID). */
  value(end: number): string {
    return this.recurring(end, values);
  }

  private recurring(end: number, cache: RecentStrings): string {
    const fieldEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    if (fieldEnd === start) return "";
    if (fieldEnd - start > MAX_RECENT_STRING_BYTES) return this.utf8(start, fieldEnd);
    const cached = cache.find(this.buf, this.view, start, fieldEnd);
    if (cached !== null) return cached;
    const text = this.utf8(start, fieldEnd);
    // Only ASCII: one char per byte reads the same whichever decoder protobufjs would have used (see checkUtf8).
    if (text.length === fieldEnd - start && isAscii(this.buf, start, fieldEnd)) cache.remember(this.buf, start, fieldEnd, text);
    return text;
  }

  private utf8(start: number, end: number): string {
    if (this.checkUtf8 && !isUtf8(this.buf.subarray(start, end))) throw NOT_FAST_PATH;
    return this.buf.utf8Slice(start, end);
  }

  /** Bytes as lowercase hex: trace and span IDs, which repeat across the spans of a trace and as parents. */
  hex(end: number): string {
    const fieldEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    if (fieldEnd === start || fieldEnd - start > MAX_RECENT_STRING_BYTES) return this.buf.hexSlice(start, fieldEnd);
    const cached = ids.find(this.buf, this.view, start, fieldEnd);
    if (cached !== null) return cached;
    const text = this.buf.hexSlice(start, fieldEnd);
    ids.remember(this.buf, start, fieldEnd, text);
    return text;
  }

  base64(end: number): string {
    const fieldEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = fieldEnd;
    return this.buf.base64Slice(start, fieldEnd);
  }

  /**
   * Skips a field the message does not know (`known`: a bit per field number it does). The generated decoder reads
   * a known field by its declared type whatever wire type arrives, so a known number here is not plain input.
   */
  skipUnknown(tag: number, known: number, end: number): void {
    const field = tag >>> 3;
    if (field < 32 && ((known >>> field) & 1) === 1) throw NOT_FAST_PATH;
    this.skip(tag & 7, end);
  }

  /** Skips a field of a wire type plain encoders write; groups (3, 4) and the undefined types 6 and 7 are not. */
  private skip(wireType: number, end: number): void {
    if (wireType === WIRE_VARINT) this.skipVarint(end);
    else if (wireType === WIRE_LEN) this.pos = this.lengthEnd(end);
    else if (wireType === WIRE_I64 || wireType === WIRE_I32) {
      const size = wireType === WIRE_I64 ? 8 : 4;
      if (this.pos + size > end) throw NOT_FAST_PATH;
      this.pos += size;
    } else throw NOT_FAST_PATH;
  }

  private skipVarint(end: number): void {
    const limit = Math.min(end, this.pos + MAX_VARINT_BYTES);
    for (let pos = this.pos; pos < limit; pos++) {
      if (this.buf[pos]! < 0x80) {
        this.pos = pos + 1;
        return;
      }
    }
    throw NOT_FAST_PATH;
  }
}

/** The AnyValue int64 rule of read-common.ts: exact integers stay numbers, anything past 2^53 becomes decimal text. */
function int64Value(low: number, high: number): number | string {
  if (high >= -SAFE_HIGH_WORDS && high < SAFE_HIGH_WORDS) {
    const n = high * TWO_POW_32 + low;
    if (n >= Number.MIN_SAFE_INTEGER) return n;
  }
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low)).toString();
}
