// Labels a request path with the app route it reaches (`/services/[name]`), so metrics and logs carry a
// bounded set of values and never the names, IDs or tokens a path holds.

/** Paths the HTTP server answers itself, before Next.js. */
const SERVER_PATHS = ["/healthz", "/readyz", "/metrics"];
export const UNMATCHED_ROUTE = "(unmatched)";

type Segment = { kind: "static"; text: string } | { kind: "param" } | { kind: "catchAll"; optional: boolean };

function parseSegment(text: string): Segment {
  if (/^\[\[\.\.\.[^\]]+\]\]$/.test(text)) return { kind: "catchAll", optional: true };
  if (/^\[\.\.\.[^\]]+\]$/.test(text)) return { kind: "catchAll", optional: false };
  if (/^\[[^\]]+\]$/.test(text)) return { kind: "param" };
  return { kind: "static", text };
}

function matches(pattern: readonly Segment[], parts: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg.kind === "catchAll") return parts.length - i >= (seg.optional ? 0 : 1);
    const part = parts[i];
    if (part === undefined || part === "") return false;
    if (seg.kind === "static" && seg.text !== part) return false;
  }
  return parts.length === pattern.length;
}

/**
 * A labeller for the given URL patterns (`/`, `/jobs/[id]`, `/docs/[...slug]`): a path gets the most specific
 * pattern it matches (more static segments first), `/_next/*` for Next.js assets, its own name for the
 * server's paths, and `(unmatched)` otherwise.
 */
export function createRouteLabeller(patterns: readonly string[]): (pathname: string) => string {
  const compiled = [...new Set(patterns)]
    .map((label) => ({ label, segments: label.split("/").filter(Boolean).map(parseSegment) }))
    .map((p) => ({ ...p, staticCount: p.segments.filter((s) => s.kind === "static").length, catchAll: p.segments.some((s) => s.kind === "catchAll") }))
    .sort((a, b) => Number(a.catchAll) - Number(b.catchAll) || b.staticCount - a.staticCount || b.segments.length - a.segments.length);
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next/*";
    if (SERVER_PATHS.includes(pathname)) return pathname;
    const parts = pathname.split("/").slice(1);
    if (parts.at(-1) === "") parts.pop(); // a trailing slash names the same route
    return compiled.find((p) => matches(p.segments, parts))?.label ?? UNMATCHED_ROUTE;
  };
}
