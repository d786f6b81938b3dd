// Bounded input primitives for the API contract: every query, path and body field is built from these,
// so a NUL byte, a lone surrogate, an oversized string or a number past what PostgreSQL's bigint, a
// JavaScript Date or a safe integer can hold is a 400 at the edge, never an error deep in a query.
import { z } from "zod";
import { ServiceName } from "../../telemetry/core/otlp/service-name";

// A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL text cannot hold U+0000 (22021); a lone UTF-16 surrogate has no UTF-8 encoding. */
export function isSafeText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

const UNSAFE_TEXT = "must not contain NUL or unpaired surrogate characters";

/** A string of at most `max` characters without NUL or unpaired surrogates. */
export function text(max = 200): z.ZodString {
  return z.string().max(max).refine(isSafeText, UNSAFE_TEXT);
}

/** A non-empty `text`. */
export function nonEmptyText(max = 200): z.ZodString {
  return text(max).min(1);
}

/** A service.name in a query or console URL: the one ServiceName rule, as storable text. */
export const ServiceNameText = ServiceName.pipe(text(255));

/** A service filter in a list query: a service name, or empty for every service (a blank form field). */
export const ServiceFilter = z.union([z.literal(""), ServiceNameText]);

/** An integer (or a number when `int: false`) in [min, max], from a JSON number or a query string; bounds are required. */
export function queryNumber(bounds: { min: number; max: number; int?: boolean }) {
  if (!Number.isSafeInteger(bounds.min) || !Number.isSafeInteger(bounds.max)) throw new Error("queryNumber bounds must be safe integers");
  const n = z.coerce.number().min(bounds.min).max(bounds.max);
  return bounds.int === false ? n : n.int();
}

/**
 * The latest instant every time field accepts: int64 nanoseconds (the telemetry tables) end in
 * April 2262, well inside the Date range (±8.64e15 ms).
 */
export const MAX_EPOCH_MS = 9_223_372_036_854;

/** Epoch milliseconds of an ISO 8601 time or a string of digits, or null when it is neither or out of range. */
export function timeParamMs(value: string): number | null {
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : /^\d/.test(value) ? Date.parse(value) : NaN;
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_EPOCH_MS ? ms : null;
}

/** A time query parameter: ISO 8601 or epoch milliseconds between 1970 and 2262 (empty means absent). */
export const TimeParam = z
  .string()
  .max(64)
  .refine((v) => v === "" || timeParamMs(v) !== null, "expected an ISO 8601 time or epoch milliseconds between 1970 and 2262");

/** An opaque page cursor this API returned: base64url, bounded. */
export const Cursor = z.string().max(2_000).regex(/^[A-Za-z0-9_-]*$/, "not a cursor this API returned");

const INT64_MAX = 9_223_372_036_854_775_807n;

/** A positive bigint key as a decimal string (e.g. the audit log's `before`), within PostgreSQL's bigint. */
export const BigintKey = z.string().regex(/^\d{1,19}$/, { message: "expected a decimal ID", abort: true }).refine(isBigintText, "out of range");

/** Whether a decimal string (e.g. a decoded cursor's field) fits a PostgreSQL bigint. */
export function isBigintText(value: string): boolean {
  // The pattern is tested first: zod runs every check even after one fails, and BigInt("x") throws.
  return /^\d{1,19}$/.test(value) && BigInt(value) <= INT64_MAX;
}

export type UnsafeValue = { path: string; message: string };

/**
 * The first string (value or key) in a decoded JSON body or query that no text column can store, or a
 * nesting deeper than `maxDepth`. Route handlers check every request with it before their schema, so
 * free-form bodies (`z.unknown()`, stored as jsonb) are as safe as declared fields.
 */
export function findUnsafeValue(value: unknown, maxDepth = 64, path: string[] = []): UnsafeValue | null {
  if (typeof value === "string") return isSafeText(value) ? null : { path: path.join("."), message: UNSAFE_TEXT };
  if (typeof value !== "object" || value === null) return null;
  if (path.length >= maxDepth) return { path: path.join("."), message: `nested deeper than ${maxDepth} levels` };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    if (!isSafeText(key)) return { path: [...path, "(key)"].join("."), message: UNSAFE_TEXT };
    const found = findUnsafeValue(child, maxDepth, [...path, key]);
    if (found) return found;
  }
  return null;
}
