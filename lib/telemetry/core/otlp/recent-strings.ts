// A small cache of recently decoded short strings, found by their bytes: a batch repeats its attribute keys, span
// names, most values and its trace and parent span IDs many times, and handing back the same string object is
// cheaper than decoding a new one, and keeps V8's attribute stores and lookups on their fast path.

const SLOT_BITS = 12;
const SLOTS = 1 << SLOT_BITS;
export const MAX_RECENT_STRING_BYTES = 64;

export class RecentStrings {
  private readonly texts: string[] = new Array<string>(SLOTS).fill("");
  private readonly lengths = new Uint8Array(SLOTS);
  // Each slot's bytes, so that a lookup compares four bytes at a time.
  private readonly bytes = Buffer.alloc(SLOTS * MAX_RECENT_STRING_BYTES);
  private readonly words = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private slot = 0;

  /** The cached string for `buf[start, end)` (1 to MAX_RECENT_STRING_BYTES bytes), or null; then call `remember`. */
  find(buf: Uint8Array, view: DataView, start: number, end: number): string | null {
    const length = end - start;
    // Length and four sampled bytes: cheap, and enough to tell apart the strings a batch repeats.
    const sample = (buf[start]! << 24) ^ (buf[end - 1]! << 16) ^ (buf[start + (length >> 1)]! << 8) ^ buf[start + (length >> 2)]!;
    const slot = Math.imul(sample ^ Math.imul(length, 0x9e3779b1), 0x85ebca6b) >>> (32 - SLOT_BITS);
    this.slot = slot;
    if (this.lengths[slot] !== length) return null;
    const base = slot * MAX_RECENT_STRING_BYTES;
    let i = 0;
    for (; i + 4 <= length; i += 4) if (view.getInt32(start + i, true) !== this.words.getInt32(base + i, true)) return null;
    for (; i < length; i++) if (buf[start + i] !== this.bytes[base + i]) return null;
    return this.texts[slot]!;
  }

  /** Caches `text` as what `buf[start, end)` decodes to, just after a `find` for those bytes missed. */
  remember(buf: Uint8Array, start: number, end: number, text: string): void {
    const slot = this.slot;
    this.texts[slot] = text;
    this.lengths[slot] = end - start;
    const base = slot * MAX_RECENT_STRING_BYTES - start;
    for (let i = start; i < end; i++) this.bytes[base + i] = buf[i]!;
  }
}
