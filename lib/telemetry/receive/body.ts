// Reads an HTTP request body with a size cap and idle/rate deadlines, and gunzips it with a cap on the output, so a
// large or gzip-bomb body ends in a 413 and a stalled one in a 408 rather than in memory exhaustion.
import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 408 | 413 | 415 | 429; reason: string };

export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 5_000;
/** Low enough for an exporter on a slow link; the request deadline bounds the rest. */
export const DEFAULT_MIN_BODY_BYTES_PER_S = 1024;

export type BodyReadLimits = {
  maxBytes: number;
  /** Longest pause allowed between two chunks of the body. */
  idleTimeoutMs: number;
  /** Time allowed for the whole body. */
  deadlineMs: number;
  /** Average rate the body must keep once past a grace period of twice the idle timeout; 0 turns the check off. */
  minBytesPerS: number;
};

/**
 * Reads a body under `limits`; a stalled or crawling sender ends in 408. `hold(received)` is asked as bytes arrive,
 * so memory is reserved for what was received, never for what was declared; false ends the read in 429.
 */
export function readBody(req: IncomingMessage, limits: BodyReadLimits, hold: (receivedBytes: number) => boolean = () => true, nowMs = Date.now): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const startedAt = nowMs();
    let lastChunkAt = startedAt;
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      chunks.length = 0;
      if (!r.ok) req.resume();
      resolve(r);
    };
    const timer = setInterval(() => {
      const now = nowMs();
      const elapsedMs = now - startedAt;
      if (now - lastChunkAt >= limits.idleTimeoutMs) finish({ ok: false, status: 408, reason: `no request body bytes for ${limits.idleTimeoutMs} ms` });
      else if (elapsedMs >= limits.deadlineMs) finish({ ok: false, status: 408, reason: `request body not received within ${limits.deadlineMs} ms` });
      else if (limits.minBytesPerS > 0 && elapsedMs >= 2 * limits.idleTimeoutMs && size < (limits.minBytesPerS * elapsedMs) / 1000) {
        finish({ ok: false, status: 408, reason: `request body arriving slower than ${limits.minBytesPerS} bytes/s` });
      }
    }, Math.max(10, Math.min(1000, limits.idleTimeoutMs / 4)));
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      lastChunkAt = nowMs();
      size += chunk.length;
      if (size > limits.maxBytes) return finish({ ok: false, status: 413, reason: `request body over the ${limits.maxBytes}-byte limit` });
      if (!hold(size)) return finish({ ok: false, status: 429, reason: "Tailguard is at its in-flight ingest limit; retry later" });
      chunks.push(chunk);
    });
    req.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.on("error", (err) => finish({ ok: false, status: 400, reason: `request body could not be read: ${err.message}` }));
    req.on("close", () => finish({ ok: false, status: 400, reason: "the client closed the connection before the body ended" }));
  });
}

export function decompress(bytes: Buffer, encoding: string | undefined, maxBytes: number): Promise<BodyResult> {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  if (enc === "identity" || enc === "") return Promise.resolve({ ok: true, bytes });
  if (enc !== "gzip") return Promise.resolve({ ok: false, status: 415, reason: `Content-Encoding ${enc} is not supported; use gzip or none` });
  return new Promise((resolve) =>
    gunzip(bytes, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve({ ok: true, bytes: out });
      const tooLarge = (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError;
      resolve(tooLarge ? { ok: false, status: 413, reason: `decompressed body over the ${maxBytes}-byte limit` } : { ok: false, status: 400, reason: `invalid gzip body: ${err.message}` });
    }),
  );
}
