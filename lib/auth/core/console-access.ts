// Which HTTP requests may reach the console without a session, and how the rest are refused (pure, no I/O).
// The web server applies this to every request before Next.js sees it: pages, RSC payloads, server actions.

export type AccessRequest = {
  method: string;
  /** The raw request target, as `IncomingMessage.url` gives it: path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** `next dev` serves its own tooling under `/_next/` and `/__nextjs*`; production only serves built assets. */
  dev: boolean;
};

export type Refusal = { status: 307; location: string } | { status: 401 };
export type AccessDecision = { kind: "public" } | { kind: "needs-session"; refusal: Refusal };

export const LOGIN_PATH = "/login";

// Exact paths anyone may fetch. /healthz, /readyz and /metrics are answered by the web server itself.
const PUBLIC_PATHS = new Set([LOGIN_PATH, "/favicon.ico", "/healthz", "/readyz", "/metrics"]);
// Route handlers under /api/ authenticate in lib/api/http/route.ts (tests/api-routes-authenticate.test.ts
// proves each one does); built assets under /_next/static/ hold no data.
const PUBLIC_PREFIXES = ["/api/", "/_next/static/"];
const DEV_PUBLIC_PREFIXES = ["/_next/", "/__nextjs"];

// Headers with which the Next.js client asks for a flight payload or runs a server action.
const NON_DOCUMENT_HEADERS = ["rsc", "next-action", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch"];

/** What the chokepoint does with a request: let it through, or demand a session and refuse it this way. */
export function accessFor(req: AccessRequest): AccessDecision {
  const target = parseTarget(req.url);
  const query = req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
  const isDocument = (req.method === "GET" || req.method === "HEAD") && !new URLSearchParams(query).has("_rsc") && !NON_DOCUMENT_HEADERS.some((h) => req.headers[h] !== undefined);
  // A server action may be dispatched from any path, so it always needs a session.
  if (target && req.headers["next-action"] === undefined && isPublicPath(target.pathname, req.dev)) return { kind: "public" };
  if (!isDocument) return { kind: "needs-session", refusal: { status: 401 } };
  return { kind: "needs-session", refusal: { status: 307, location: loginLocation(target ? target.pathname + target.search : "/") } };
}

export function isPublicPath(pathname: string, dev: boolean): boolean {
  if (PUBLIC_PATHS.has(pathname)) return true;
  return PUBLIC_PREFIXES.some((p) => pathname.startsWith(p)) || (dev && DEV_PUBLIC_PREFIXES.some((p) => pathname.startsWith(p)));
}

/** The login page, remembering a same-site destination other than the overview. */
export function loginLocation(destination: string): string {
  const next = safeNextPath(destination);
  return next && next !== "/" ? `${LOGIN_PATH}?next=${encodeURIComponent(next)}` : LOGIN_PATH;
}

/** `raw` if it is a path on this site (never another origin, never the login page itself), else null. */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  try {
    const url = new URL(raw, "http://tailguard.invalid");
    if (url.origin !== "http://tailguard.invalid" || url.pathname.replace(/\/+$/, "") === LOGIN_PATH) return null;
    url.searchParams.delete("_rsc");
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}

// The path Next.js will route, after WHATWG dot-segment removal. Targets whose meaning could differ
// between us and the router (not origin-form, encoded slashes, backslashes or dots) are never public.
function parseTarget(raw: string): { pathname: string; search: string } | null {
  const rawPath = raw.split("?")[0] ?? "";
  if (!rawPath.startsWith("/") || rawPath.startsWith("//") || /\\|%2f|%5c|%2e/i.test(rawPath)) return null;
  try {
    const url = new URL(raw, "http://tailguard.invalid");
    return { pathname: url.pathname, search: url.search };
  } catch {
    return null;
  }
}
