// google.rpc.Status as OTLP/HTTP error bodies: protobuf for protobuf clients, JSON otherwise.
// The message has two fields we use (code = 1, message = 2), so it is encoded by hand.
export function encodeRpcStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from([0x08]), varint(code), Buffer.from([0x12]), varint(text.length), text]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

// gRPC status codes named by the OTLP specification for HTTP error bodies.
export const RPC = { INVALID_ARGUMENT: 3, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;
