// The `page_view` Faro event the console sends when a page view ends: route, time on the page and the JS errors
// seen during it. Ending views carry the error count, so "error-free page views" is exact per view.
import { z } from "zod";

export type PageViewNavigation = "load" | "route_change" | "resume";
export type PageViewEnd = "navigation" | "hidden";

/** What the browser knows about one page view when it ends. */
export type PageViewRecord = { route: string; path: string; durationMs: number; errors: number; navigation: PageViewNavigation; endedBy: PageViewEnd };

const count = z.string().regex(/^\d+$/, "must be a whole number").transform(Number);

const PageViewAttributes = z.object({
  route: z.string({ error: "must name the route" }).min(1, "must name the route").max(512),
  path: z.string().max(2048).optional(),
  duration_ms: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "must be a number of milliseconds")
    .transform(Number)
    .refine((ms) => ms <= 31 * 86_400_000, "must be at most 31 days"),
  errors: count.default(0),
  navigation: z.enum(["load", "route_change", "resume"]).default("route_change"),
  ended_by: z.enum(["navigation", "hidden"]).default("navigation"),
});

/** Faro event attributes are strings. */
export function pageViewAttributes(r: PageViewRecord): Record<string, string> {
  return { route: r.route, path: r.path, duration_ms: String(Math.max(0, Math.round(r.durationMs))), errors: String(r.errors), navigation: r.navigation, ended_by: r.endedBy };
}

export function parsePageViewAttributes(attributes: Readonly<Record<string, string>> | undefined): { ok: true; record: PageViewRecord } | { ok: false; reason: string } {
  const parsed = PageViewAttributes.safeParse(attributes ?? {});
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `attributes.${i.path.join(".")}: ${i.message}`).join("; ") };
  const a = parsed.data;
  return { ok: true, record: { route: a.route, path: a.path ?? a.route, durationMs: a.duration_ms, errors: a.errors, navigation: a.navigation, endedBy: a.ended_by } };
}
