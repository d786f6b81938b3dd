// Domain errors carry a kind; the route helper maps kinds to HTTP statuses (the core knows no HTTP).
export type ErrorKind = "invalid" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "unprocessable" | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: unknown,
    /** A more precise error code than the kind, e.g. `idempotency_key_reused`. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
