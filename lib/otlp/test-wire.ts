// Protobuf wire-level building blocks for decoder tests: hand-made fields, and a parsed field tree of a trace request
// that seeded mutations reorder, duplicate, retag and pad before it is written back.

export const WIRE = { VARINT: 0, I64: 1, LEN: 2, GROUP_START: 3, GROUP_END: 4, I32: 5 } as const;

/** A varint of `value` (taken mod 2^64), padded with continuation bytes to `minBytes` as a lax encoder might. */
export function varint(value: number | bigint, minBytes = 1): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn));
    v >>= 7n;
  } while (v > 0n);
  while (out.length < minBytes) out.push(0);
  return out.map((b, i) => (i < out.length - 1 ? b | 0x80 : b));
}

export function tag(fieldNumber: number, wireType: number, minBytes = 1): number[] {
  return varint(fieldNumber * 8 + wireType, minBytes);
}

export function lenField(fieldNumber: number, payload: ArrayLike<number>): number[] {
  return [...tag(fieldNumber, WIRE.LEN), ...varint(payload.length), ...Array.from(payload)];
}

export function varintField(fieldNumber: number, value: number | bigint, minBytes = 1): number[] {
  return [...tag(fieldNumber, WIRE.VARINT), ...varint(value, minBytes)];
}

export function fixed64Field(fieldNumber: number, value: bigint): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...tag(fieldNumber, WIRE.I64), ...bytes];
}

export function stringField(fieldNumber: number, text: string): number[] {
  return lenField(fieldNumber, Buffer.from(text, "utf8"));
}

// Which length-delimited fields hold messages, per message, so that mutations can reach every level.
const MESSAGE_FIELDS: Record<string, Record<number, string>> = {
  request: { 1: "resourceSpans" },
  resourceSpans: { 1: "resource", 2: "scopeSpans" },
  resource: { 1: "keyValue" },
  scopeSpans: { 1: "scope", 2: "span" },
  scope: { 3: "keyValue" },
  span: { 9: "keyValue", 11: "event", 13: "link", 15: "status" },
  event: { 3: "keyValue" },
  link: { 4: "keyValue" },
  status: {},
  keyValue: { 2: "anyValue" },
  anyValue: { 5: "list", 6: "list" },
  list: { 1: "listItem" },
  // ArrayValue and KeyValueList both hold field 1; try AnyValue's shape first, then KeyValue's.
  listItem: { 2: "anyValue", 5: "list", 6: "list" },
};

export type WireNode =
  | { field: number; wire: number; varint: bigint; padTo: number }
  | { field: number; wire: number; raw: number[] }
  | { field: number; wire: number; message: WireNode[]; type: string };

/** Parses a plainly encoded message into nodes; throws on anything it cannot split (then there is nothing to mutate). */
export function parseWire(bytes: Uint8Array, type = "request"): WireNode[] {
  const nodes: WireNode[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= bytes.length || shift > 63n) throw new Error("bad varint");
      const b = bytes[pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
  };
  while (pos < bytes.length) {
    const key = Number(readVarint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === WIRE.VARINT) nodes.push({ field, wire, varint: readVarint(), padTo: 1 });
    else if (wire === WIRE.I64 || wire === WIRE.I32) {
      const size = wire === WIRE.I64 ? 8 : 4;
      if (pos + size > bytes.length) throw new Error("truncated");
      nodes.push({ field, wire, raw: Array.from(bytes.subarray(pos, pos + size)) });
      pos += size;
    } else if (wire === WIRE.LEN) {
      const length = Number(readVarint());
      if (pos + length > bytes.length) throw new Error("truncated");
      const payload = bytes.subarray(pos, pos + length);
      pos += length;
      const child = MESSAGE_FIELDS[type]?.[field];
      let message: WireNode[] | null = null;
      if (child !== undefined) {
        try {
          message = parseWire(payload, child);
        } catch {
          message = null;
        }
      }
      nodes.push(message === null ? { field, wire, raw: Array.from(payload) } : { field, wire, message, type: child! });
    } else throw new Error(`wire type ${wire}`);
  }
  return nodes;
}

export function writeWire(nodes: readonly WireNode[]): number[] {
  const out: number[] = [];
  for (const node of nodes) {
    out.push(...tag(node.field, node.wire));
    if ("varint" in node) out.push(...varint(node.varint, node.padTo));
    else if ("message" in node) {
      const payload = writeWire(node.message);
      out.push(...varint(payload.length), ...payload);
    } else if (node.wire === WIRE.LEN) out.push(...varint(node.raw.length), ...node.raw);
    else out.push(...node.raw);
  }
  return out;
}

/** Every message (node list) in the tree, the root included. */
export function messagesOf(nodes: WireNode[]): WireNode[][] {
  const all = [nodes];
  for (const node of nodes) if ("message" in node) all.push(...messagesOf(node.message));
  return all;
}
