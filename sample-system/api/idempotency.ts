// Idempotency keys: a request's fingerprint, and what a repeated key means (replay or misuse).
import { createHash } from "node:crypto";

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` fingerprint alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function requestFingerprint(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

export type StoredIdempotencyKey = { jobId: string; requestSha256: string };
export type IdempotencyDecision = { kind: "new" } | { kind: "replay"; jobId: string } | { kind: "conflict"; jobId: string };

// The same key with a different body is a client bug: answering with the old job would hide it.
export function decideIdempotency(stored: StoredIdempotencyKey | undefined, requestSha256: string): IdempotencyDecision {
  if (!stored) return { kind: "new" };
  if (stored.requestSha256 === requestSha256) return { kind: "replay", jobId: stored.jobId };
  return { kind: "conflict", jobId: stored.jobId };
}
