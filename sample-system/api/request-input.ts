// Turns the untrusted parts of an HTTP request (target, headers, body) into values or a 4xx
// HttpError, and answers requests Node's parser rejected; nothing a client sends may throw past here.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { HttpError } from "./http-error";

// Headers the API reads as one value: two copies would make the request ambiguous.
const SINGLE_VALUE_HEADERS = ["content-type", "idempotency-key", "x-client-id"] as const;
// C0 controls and DEL have no place in a path; a decoded NUL would also reach PostgreSQL text.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Percent-decodes one path segment; a malformed escape is the client's error, not ours. */
export function decodePathSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "invalid_path_encoding", "the request path has a malformed percent-escape", { segment: segment.slice(0, 200) });
  }
  if (CONTROL_CHARACTERS.test(decoded)) throw new HttpError(400, "invalid_path", "the request path contains control characters");
  return decoded;
}

/** The request's path, with every segment checked to decode (routes decode their parameters again). */
export function requestPath(rawUrl: string | undefined): string {
  let path: string;
  try {
    path = new URL(rawUrl ?? "/", "http://sample.local").pathname;
  } catch {
    throw new HttpError(400, "invalid_target", "the request target is not a valid URL path");
  }
  for (const segment of path.split("/")) decodePathSegment(segment);
  return path;
}

export function assertSingleValueHeaders(req: IncomingMessage): void {
  for (const name of SINGLE_VALUE_HEADERS) {
    const values = req.headersDistinct[name];
    if (values && values.length > 1) throw new HttpError(400, "duplicate_header", `the ${name} header was sent ${values.length} times`, { header: name });
  }
}

/**
 * Reads a JSON body of at most `maxBytes`. Over the limit it stops keeping the bytes but keeps
 * reading them: destroying the request mid-body would drop the connection before the 413 is sent.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const contentType = req.headers["content-type"];
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    req.resume();
    return Promise.reject(new HttpError(415, "unsupported_media_type", "the request body must be application/json"));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) return;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        reject(new HttpError(413, "payload_too_large", `body over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", (err) => reject(new HttpError(400, "body_unreadable", `the request body could not be read: ${err.message}`)));
    req.on("end", () => {
      if (tooLarge) return;
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new HttpError(400, "invalid_json", "request body is not valid JSON"));
      }
    });
  });
}

/** Routes without a body refuse one rather than ignore it (the rest is drained after the answer). */
export function rejectBody(req: IncomingMessage): undefined {
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > 0 || req.headers["transfer-encoding"] !== undefined) throw new HttpError(400, "body_not_allowed", `${req.method ?? "this method"} takes no request body`);
  return undefined;
}

/**
 * Answers a request Node's HTTP parser rejected (bad bytes, NUL, headers over the limit) with a
 * JSON error instead of a bare close, then drains what the client still sends so it reads the answer.
 */
export function answerClientError(err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Socket): void {
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "request line and headers are over the server's limit"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "the request was not received in time"]
        : [400, "bad_request", `the request could not be parsed (${err.code ?? "parse error"})`];
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 431 ? "Request Header Fields Too Large" : status === 408 ? "Request Timeout" : "Bad Request";
  socket.on("error", () => undefined);
  socket.resume();
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 5_000).unref();
}
