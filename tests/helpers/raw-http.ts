// A raw HTTP/1.1 client for tests: sends exactly the bytes given (malformed targets, NUL bytes,
// duplicated or oversized headers) and reports the answer, or that the connection was dropped.
import { connect } from "node:net";

export type RawAnswer = { status: number; headers: Record<string, string>; body: string } | { dropped: string };

/** A chunked body's text once its last chunk arrived; undefined while incomplete. */
function dechunk(raw: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(raw.subarray(at, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts).toString("utf8");
    if (raw.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Sends `request` to host:port and reads one response (up to its content-length, or the close). */
export function sendRaw(target: { host: string; port: number }, request: Buffer, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(target.port, target.host);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const parse = (): RawAnswer | undefined => {
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf("\r\n\r\n");
      if (end < 0) return undefined;
      const [statusLine = "", ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      if (!status) return { dropped: `not an HTTP answer: ${statusLine.slice(0, 80)}` };
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      const rest = raw.subarray(end + 4);
      if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
        const body = dechunk(rest);
        return body === undefined ? undefined : { status, headers, body };
      }
      const length = headers["content-length"] === undefined ? undefined : Number(headers["content-length"]);
      if (length === undefined || rest.length < length) return undefined;
      return { status, headers, body: rest.subarray(0, length).toString("utf8") };
    };
    const timer = setTimeout(() => finish({ dropped: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parse();
      if (answer) finish(answer);
    });
    // Writing may fail once the server answered and closed (EPIPE): what it answered still counts.
    socket.on("error", (err) => setImmediate(() => finish(parse() ?? { dropped: `socket error ${(err as NodeJS.ErrnoException).code ?? err.message}` })));
    socket.on("close", () => finish(parse() ?? { dropped: `closed after ${Buffer.concat(chunks).length} bytes without a complete answer` }));
    socket.write(request, () => undefined);
  });
}

/** Builds a request from parts; the target and header values go out byte for byte, unvalidated. */
export function rawRequest(options: { method?: string; target: string | Buffer; headers?: Array<[string, string | Buffer]>; body?: string | Buffer }): Buffer {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  const headers: Array<[string, string | Buffer]> = [["host", "127.0.0.1"], ...(options.headers ?? [])];
  if (body.length > 0 && !headers.some(([n]) => ["content-length", "transfer-encoding"].includes(n.toLowerCase()))) headers.push(["content-length", String(body.length)]);
  const parts: Buffer[] = [Buffer.from(`${options.method ?? "GET"} `), Buffer.from(options.target), Buffer.from(" HTTP/1.1\r\n")];
  for (const [name, value] of headers) parts.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from("\r\n"));
  parts.push(Buffer.from("\r\n"), body);
  return Buffer.concat(parts);
}
