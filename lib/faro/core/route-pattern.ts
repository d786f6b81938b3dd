// The route pattern of an App Router path (`/services/checkout` → `/services/[name]`), from the params Next.js
// resolved, so page views group by page rather than by every service, SLO or trace visited.

export type RouteParams = Readonly<Record<string, string | string[] | undefined>>;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function routePattern(pathname: string, params: RouteParams): string {
  const segments = pathname.split("/");
  const taken = new Set<number>();
  // Longer values first: a catch-all must claim its run before a single param matches inside it.
  const entries = Object.entries(params).sort(([, a], [, b]) => (Array.isArray(b) ? b.length : 1) - (Array.isArray(a) ? a.length : 1));
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const run = Array.isArray(value) ? value : [value];
    if (run.length === 0) continue;
    // From the right: dynamic segments sit below static ones (`/slos/slos` is `/slos/[name]`).
    for (let i = segments.length - run.length; i >= 1; i--) {
      const fits = run.every((v, j) => !taken.has(i + j) && decoded(segments[i + j] as string) === v);
      if (!fits) continue;
      segments.splice(i, run.length, Array.isArray(value) ? `[...${key}]` : `[${key}]`, ...new Array<string>(run.length - 1).fill("\u0000"));
      for (let j = 0; j < run.length; j++) taken.add(i + j);
      break;
    }
  }
  return segments.filter((s) => s !== "\u0000").join("/") || "/";
}
