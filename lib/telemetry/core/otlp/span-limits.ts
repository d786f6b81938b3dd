// The OpenTelemetry SDK's span limits, applied again where spans are stored: a sender whose SDK has none (or a
// hand-written exporter) cannot make one span hold megabytes. What is cut is counted on the span.
import type { AttributeValue } from "./types";

export interface SpanLimits {
  /** Longest string attribute value kept, in UTF-16 code units as the SDK counts; strings in arrays and maps too. */
  attributeValueLengthLimit: number;
  attributeCountLimit: number;
  resourceAttributeCountLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/**
 * The SDK's count limits (128). The SDK keeps values of any length, but we store every value, so 16,384 characters:
 * room for a long stack trace (`exception.stacktrace`), while a megabyte-long value is cut.
 */
export const DEFAULT_SPAN_COUNT_LIMIT = 128;
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 16 * 1024;

/** Options naming some limits; unnamed per-resource/event/link attribute counts follow `attributeCountLimit`. */
export type SpanLimitOptions = Partial<SpanLimits>;

export function resolveSpanLimits(options: SpanLimitOptions): SpanLimits {
  const attributes = options.attributeCountLimit ?? DEFAULT_SPAN_COUNT_LIMIT;
  return {
    attributeValueLengthLimit: options.attributeValueLengthLimit ?? DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    attributeCountLimit: attributes,
    resourceAttributeCountLimit: options.resourceAttributeCountLimit ?? attributes,
    eventCountLimit: options.eventCountLimit ?? DEFAULT_SPAN_COUNT_LIMIT,
    linkCountLimit: options.linkCountLimit ?? DEFAULT_SPAN_COUNT_LIMIT,
    attributePerEventCountLimit: options.attributePerEventCountLimit ?? attributes,
    attributePerLinkCountLimit: options.attributePerLinkCountLimit ?? attributes,
  };
}

function truncateString(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  // Never end on half a surrogate pair: PostgreSQL refuses a lone surrogate in jsonb, and it is not text.
  const end = maxLength > 0 && isHighSurrogate(value.charCodeAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return value.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The value with every string in it cut to `maxLength` (arrays and maps walked); the same reference when nothing
 * was cut, so `truncateAttributeValue(v, n) !== v` says whether it was.
 */
export function truncateAttributeValue(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value === "string") return truncateString(value, maxLength);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: AttributeValue[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i]!;
      const cut = truncateAttributeValue(item, maxLength);
      if (cut !== item) (out ??= value.slice())[i] = cut;
    }
    return out ?? value;
  }
  let out: { [key: string]: AttributeValue } | null = null;
  for (const key of Object.keys(value)) {
    const item = value[key]!;
    const cut = truncateAttributeValue(item, maxLength);
    if (cut !== item) {
      out ??= copyOwn(value);
      Object.defineProperty(out, key, { value: cut, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? value;
}

/** A copy keeping a `__proto__` key as data. */
function copyOwn(value: { [key: string]: AttributeValue }): { [key: string]: AttributeValue } {
  const out: { [key: string]: AttributeValue } = {};
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: value[key], enumerable: true, writable: true, configurable: true });
  return out;
}
