// Stable identities for attribute sets: the same attributes in any order give the same key and hash.
import { createHash } from "node:crypto";
import type { Attributes } from "./attributes";
import type { AttributeValue } from "./types";

function canonicalValue(value: AttributeValue): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === "object") {
    return Object.keys(value)
      .sort()
      .map((key) => [key, canonicalValue(value[key] as AttributeValue)]);
  }
  return value;
}

/** JSON of the attributes as sorted [key, value] pairs (nested objects sorted too). */
export function canonicalAttributes(attributes: Attributes): string {
  return JSON.stringify(canonicalValue(attributes));
}

/** 16 hex chars (64 bits) of SHA-256 over the canonical form: collisions are negligible at any realistic cardinality. */
export function attributesHash(attributes: Attributes): string {
  return createHash("sha256").update(canonicalAttributes(attributes)).digest("hex").slice(0, 16);
}
