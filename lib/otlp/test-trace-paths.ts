// For differential tests: a protobuf trace body through the generated decoder + normaliseTraces, and through the fast
// decoder + finishSpanRows (falling back as the receivers do), compared down to key order and value types.
import { inspect, isDeepStrictEqual } from "node:util";
import { expect } from "vitest";
import { decodeTraceRequest } from "./decode";
import { decodeTraceRowsFast } from "./fast-trace-decode";
import { normaliseTraces, type NormaliseTracesOptions, type NormaliseTracesResult } from "./normalise-traces";
import { finishSpanRows } from "./pending-span-rows";

export type PathResult = { ok: true; value: NormaliseTracesResult } | { ok: false; reason: string };

export function generalPath(bytes: Uint8Array, options: NormaliseTracesOptions): PathResult {
  const decoded = decodeTraceRequest(bytes, "protobuf");
  return decoded.ok ? { ok: true, value: normaliseTraces(decoded.value, options) } : decoded;
}

export function fastPath(bytes: Uint8Array, options: NormaliseTracesOptions): { result: PathResult; fellBack: boolean } {
  const pending = decodeTraceRowsFast(bytes, options);
  if (pending === null) return { result: generalPath(bytes, options), fellBack: true };
  return { result: { ok: true, value: finishSpanRows(pending, options) }, fellBack: false };
}

/** inspect() also shows what deep equality ignores: key order (attributes are stored as JSON). */
function exactText(value: unknown): string {
  return inspect(value, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity, sorted: false });
}

/** Asserts both paths agree on `bytes`; returns whether the fast decoder read it itself. */
export function expectSamePaths(bytes: Uint8Array, options: NormaliseTracesOptions, label = ""): boolean {
  const general = generalPath(bytes, options);
  const fast = fastPath(bytes, options);
  // Not toStrictEqual: it compares `x.constructor`, which here can be an attribute named "constructor".
  expect(exactText(fast.result), label).toBe(exactText(general));
  expect(isDeepStrictEqual(fast.result, general), label).toBe(true);
  return !fast.fellBack;
}
