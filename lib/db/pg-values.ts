// Turns JavaScript values into text PostgreSQL accepts in bulk parameters: JSON without the NUL characters
// and lone surrogates jsonb refuses, text without NUL bytes, and array literals for int[] cells.

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(value: string): string {
  return value.replace(NUL, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
}

/** Text columns cannot hold NUL; it becomes U+FFFD rather than failing the whole batch. */
export function pgText(value: string): string;
export function pgText(value: string | null): string | null;
export function pgText(value: string | null): string | null {
  if (value === null) return null;
  return value.includes("\u0000") ? clean(value) : value;
}

function cleanDeep(value: unknown): unknown {
  if (typeof value === "string") return clean(value);
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value !== null && typeof value === "object") {
    // A null prototype keeps a "__proto__" key an ordinary property.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[cleanDeep(k) as string] = cleanDeep(v);
    return out;
  }
  return value;
}

/**
 * JSON for a jsonb cell. JSON.stringify writes `\u` escapes only for control characters and lone surrogates, so
 * the slow cleaning path runs only when one appears; jsonb rejects `\u0000` and unpaired surrogates.
 */
export function pgJson(value: unknown): string {
  const json = stringify(value);
  if (!json.includes("\\u")) return json;
  return JSON.stringify(cleanDeep(JSON.parse(json)));
}

// A replacer slows JSON.stringify down several times, so it is used only when a bigint is actually there.
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  }
}

/** An integer[] literal. */
export function pgIntArray(values: readonly number[]): string {
  return `{${values.join(",")}}`;
}
