// Reads an HTTP request body with a size cap, and gunzips it with a cap on the output, so a
// large or gzip-bomb body ends in a 413 rather than in memory exhaustion.
import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413 | 415; reason: string };

export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, status: 400, reason: `request body not received within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, status: 413, reason: `request body over the ${maxBytes}-byte limit` });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.on("error", (err) => finish({ ok: false, status: 400, reason: `request body could not be read: ${err.message}` }));
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
