// The console pages' URL queries as zod schemas, parsed by one helper: a hand-edited or hostile URL (a repeated
// parameter, NUL, a 10 KB value, 1e20) leaves that filter unset and is reported, and never reaches a query.
import { z } from "zod";
import { Cursor, nonEmptyText, ServiceNameText, text } from "./fields";

// A range key the page looks up in its own list of ranges; an unknown key is the default range.
const RangeKey = text(16);

/** Each console page's search parameters, by the page's URL pattern (as `tests/helpers/app-routes.ts` names it). */
export const consoleSearchSchemas = {
  "/": z.object({ service: ServiceNameText, state: z.enum(["firing", "ok", "no data"]), sort: z.enum(["name", "budget"]) }),
  "/jobs": z.object({
    service: ServiceNameText, status: text(32), minAttempts: text(32), minE2eMs: text(32), maxE2eMs: text(32), range: RangeKey, q: text(200), cursor: Cursor,
  }),
  "/map": z.object({ service: ServiceNameText, range: RangeKey }),
  "/services": z.object({ range: RangeKey }),
  "/services/[name]": z.object({ range: RangeKey }),
  "/signals": z.object({ service: ServiceNameText }),
  "/signals/thresholds": z.object({ service: ServiceNameText }),
} satisfies Record<string, z.ZodObject>;

export type ConsolePage = keyof typeof consoleSearchSchemas;
export type RawSearchParams = Record<string, string | string[] | undefined>;
export type ConsoleSearch<P extends ConsolePage> = {
  values: Partial<z.output<(typeof consoleSearchSchemas)[P]>>;
  /** One line per parameter that was dropped, naming it and why. */
  problems: string[];
};

/** The page's search parameters that are given once and valid; every other one is left unset and named in `problems`. */
export function consoleSearch<P extends ConsolePage>(page: P, raw: RawSearchParams): ConsoleSearch<P> {
  const shape = consoleSearchSchemas[page].shape as Record<string, z.ZodType>;
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const value = raw[key];
    if (value === undefined || value === "") continue;
    if (Array.isArray(value)) {
      problems.push(`${key}: given more than once`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  return { values: values as ConsoleSearch<P>["values"], problems };
}

/**
 * A page's dynamic segment as Next.js hands it over (percent-encoded), decoded; null when it cannot name anything
 * (a malformed escape, NUL, a lone surrogate, over `max` characters), which the page answers as not found.
 */
export function consoleParam(encoded: string, max = 1_024): string | null {
  let value: string;
  try {
    value = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return nonEmptyText(max).safeParse(value).success ? value : null;
}
