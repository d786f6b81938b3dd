// Turns OTLP key/value lists into attribute records under a count limit, and reads typed values out of them.
import { setOwn } from "./decode-common";
import { truncateAttributeValue } from "./span-limits";
import type { AttributeValue, KeyValue } from "./types";

export type Attributes = Record<string, AttributeValue>;

export const DEFAULT_ATTRIBUTE_COUNT_LIMIT = 128;
export const UNKNOWN_SERVICE = "unknown_service";

/**
 * Keeps the first `limit` distinct keys, as OpenTelemetry SDK limits do; a repeated key overwrites its value and
 * does not count twice. Every key beyond the limit is counted in `droppedCount`; `truncatedCount` is how many kept
 * values had strings cut to `valueLengthLimit`.
 */
export function keyValuesToAttributes(pairs: readonly KeyValue[], limit: number, valueLengthLimit = Infinity): { attributes: Attributes; droppedCount: number; truncatedCount: number } {
  const attributes: Attributes = {};
  let kept = 0;
  let droppedCount = 0;
  let truncatedKeys: Set<string> | null = null;
  for (const { key, value } of pairs) {
    const known = Object.prototype.hasOwnProperty.call(attributes, key);
    if (!known && kept >= limit) {
      droppedCount++;
      continue;
    }
    if (!known) kept++;
    const stored = valueLengthLimit === Infinity ? value : truncateAttributeValue(value, valueLengthLimit);
    setOwn(attributes, key, stored);
    if (stored !== value) (truncatedKeys ??= new Set()).add(key);
    else truncatedKeys?.delete(key);
  }
  return { attributes, droppedCount, truncatedCount: truncatedKeys?.size ?? 0 };
}

function own(attributes: Attributes, key: string): AttributeValue | undefined {
  return Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
}

/** A string attribute; numbers are accepted as their decimal text (job IDs are sometimes sent as ints). */
export function stringAttribute(attributes: Attributes, key: string): string | null {
  const value = own(attributes, key);
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number") return String(value);
  return null;
}

/** An integer attribute; numeric strings are accepted because semconv values arrive as either. */
export function integerAttribute(attributes: Attributes, key: string): number | null {
  const value = own(attributes, key);
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : null;
}

/** The first key found, trying every key in the first record before moving to the next record. */
export function firstStringAttribute(records: readonly Attributes[], keys: readonly string[]): string | null {
  for (const attributes of records) {
    for (const key of keys) {
      const value = stringAttribute(attributes, key);
      if (value !== null) return value;
    }
  }
  return null;
}

export function firstIntegerAttribute(records: readonly Attributes[], keys: readonly string[]): number | null {
  for (const attributes of records) {
    for (const key of keys) {
      const value = integerAttribute(attributes, key);
      if (value !== null) return value;
    }
  }
  return null;
}

export function serviceNameOf(resourceAttributes: Attributes): string {
  return stringAttribute(resourceAttributes, "service.name") ?? UNKNOWN_SERVICE;
}
