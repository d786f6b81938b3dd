// Who may post Faro payloads: the console's own pages (same origin) without credentials, pages of listed
// origins (cross-origin, with CORS), and non-browser senders under the same rule as OTLP ingestion.

export type OriginDecision =
  | { kind: "same-origin" }
  | { kind: "allowed"; origin: string }
  | { kind: "no-origin" }
  | { kind: "refused"; reason: string };

export type OriginRequest = { origin: string | null; host: string | null; secFetchSite: string | null };

export function decideOrigin(req: OriginRequest, allowedOrigins: readonly string[]): OriginDecision {
  if (req.origin === null) {
    // Browsers send Origin on every POST; a cross-site fetch without one is still marked by Sec-Fetch-Site.
    if (req.secFetchSite === "cross-site") return { kind: "refused", reason: "cross-site request without an Origin header" };
    return { kind: "no-origin" };
  }
  let host: string;
  try {
    host = new URL(req.origin).host;
  } catch {
    return { kind: "refused", reason: `Origin ${req.origin} is not a URL` };
  }
  if (req.host !== null && host === req.host) return { kind: "same-origin" };
  if (allowedOrigins.includes(req.origin)) return { kind: "allowed", origin: req.origin };
  return { kind: "refused", reason: `pages of ${req.origin} may not send here; list the origin in TAILGUARD_FARO_ALLOWED_ORIGINS` };
}

/** CORS response headers for an allowed cross-origin sender (the headers Faro's fetch transport sends). */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type, content-encoding, x-faro-session-id, idempotency-key, x-api-key, authorization",
    "access-control-expose-headers": "retry-after, x-faro-session-status",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
