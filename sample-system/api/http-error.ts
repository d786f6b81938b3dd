// The error a request handler throws to answer with a 4xx/5xx and a JSON body `{ error: { code, message, details } }`.
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}
