// Trace and span IDs derived from what identifies a Faro item, so a resent batch yields the same IDs
// (the span writer then skips it as a duplicate) and one page view's items share one trace.
import { createHash } from "node:crypto";

/** `hexDigits` lowercase hex digits of SHA-256 over the parts; never all zero (an invalid OTLP ID). */
export function derivedId(hexDigits: 16 | 32, ...parts: readonly (string | number)[]): string {
  const id = createHash("sha256").update(parts.map(String).join("\u001f")).digest("hex").slice(0, hexDigits);
  return /^0+$/.test(id) ? `${"0".repeat(hexDigits - 1)}1` : id;
}
