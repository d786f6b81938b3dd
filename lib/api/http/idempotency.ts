// Idempotency-Key rules without I/O: the header's bounds, the caller's namespace, the body's
// fingerprint, and what a stored key means for a new request.
import { createHash } from "node:crypto";
import type { Actor } from "../../auth/core/scopes";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A first request still unfinished after this long is presumed dead, and its key may be claimed again. */
export const IDEMPOTENCY_STALE_CLAIM_MS = 60_000;

const KEY = /^[\x20-\x7e]{1,200}$/;

export type KeyHeader = { ok: true; key: string | null } | { ok: false; reason: string };

/** The Idempotency-Key header: absent is fine, otherwise 1–200 printable ASCII characters. */
export function parseIdempotencyKey(header: string | null): KeyHeader {
  if (header === null) return { ok: true, key: null };
  return KEY.test(header) ? { ok: true, key: header } : { ok: false, reason: "Idempotency-Key must be 1–200 printable ASCII characters" };
}

/** Keys live in one namespace per credential: another token or user never sees this caller's results. */
export function callerNamespace(actor: Actor): string {
  return actor.type === "system" ? `system:${actor.name}` : `${actor.type}:${actor.id}`;
}

/** JSON with object keys sorted at every depth, so equal bodies give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** SHA-256 (hex) of the canonical JSON of the parsed request body. */
export function bodyFingerprint(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

export type StoredKey = { fingerprint: string; result: unknown; createdAt: Date; expiresAt: Date };

export type KeyVerdict =
  | { kind: "claimable" } // no live record: this request runs and records its result
  | { kind: "replay"; result: unknown }
  | { kind: "reused" } // same key, another body: refused, never replayed
  | { kind: "in_progress" }; // same body, first request still running

export function judgeStoredKey(stored: StoredKey | null, fingerprint: string, now: Date): KeyVerdict {
  if (!stored || stored.expiresAt.getTime() <= now.getTime()) return { kind: "claimable" };
  // A claim that never finished produced nothing to protect: any body may take the key again.
  if (stored.result === null && now.getTime() - stored.createdAt.getTime() >= IDEMPOTENCY_STALE_CLAIM_MS) return { kind: "claimable" };
  if (stored.fingerprint !== fingerprint) return { kind: "reused" };
  return stored.result === null ? { kind: "in_progress" } : { kind: "replay", result: stored.result };
}
