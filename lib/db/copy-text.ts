// Cells of PostgreSQL's COPY text format: a row is cells joined by tabs and ended by a newline, `\N` is NULL,
// and a backslash, tab, newline or carriage return inside a value is written as a backslash escape.
import { pgJson, pgText } from "./pg-values";

export const COPY_NULL = "\\N";

// One scan finds the rare value that needs work: NUL (which text cannot hold) or a character COPY escapes.
const SPECIAL = /[\\\t\n\r\u0000]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const escapeChar = (c: string): string => ESCAPES[c] as string;

/**
 * A text cell. NUL becomes U+FFFD as in pgText; a lone surrogate needs nothing here: encoding the COPY data as
 * UTF-8 writes it as U+FFFD, as the jsonb path's cleaning does.
 */
export function copyText(value: string | null): string {
  if (value === null) return COPY_NULL;
  return SPECIAL.test(value) ? pgText(value).replace(ESCAPED, escapeChar) : value;
}

/** An integer or bigint cell. */
export function copyInt(value: number | bigint | null): string {
  return value === null ? COPY_NULL : String(value);
}

/** A jsonb cell. JSON text holds no raw tab, newline or CR (JSON.stringify escapes them), only backslashes to double. */
export function copyJson(value: unknown): string {
  return copyJsonText(pgJson(value));
}

/** A jsonb cell from JSON text already made safe for jsonb (pgJson). */
export function copyJsonText(json: string): string {
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

/** An int4[] cell. */
export function copyIntArray(values: readonly number[]): string {
  return `{${values.join(",")}}`;
}
