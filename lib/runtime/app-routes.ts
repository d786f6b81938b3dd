// Every page and route handler under app/, found by walking the directory as the Next.js router does:
// the server labels its metrics with these patterns, and tests covering "every route" cover the next one.
import { readdirSync } from "node:fs";
import path from "node:path";

export type AppRoute = {
  kind: "page" | "route";
  /** Relative to the repository root, e.g. `app/(console)/services/[name]/page.tsx`. */
  file: string;
  /** The URL pattern, e.g. `/services/[name]`. */
  pattern: string;
  /** A concrete path: each `[param]` replaced by `params[param]`, or a dummy value. */
  path: string;
};

const ENTRY = /^(page|route)\.(tsx|ts|jsx|js|mdx)$/;

/** The routes under `<root>/app`; `params` fills each `[param]` of the concrete paths. */
export function appRoutes(root: string, params: Record<string, string> = {}): AppRoute[] {
  const found: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        // `_folder` is private (never routed); `@slot` renders inside its parent's URL; `(group)` adds no segment.
        if (entry.name.startsWith("_")) continue;
        const skip = entry.name.startsWith("@") || (entry.name.startsWith("(") && entry.name.endsWith(")"));
        walk(rel, skip ? segments : [...segments, entry.name]);
        continue;
      }
      const match = ENTRY.exec(entry.name);
      if (!match) continue;
      const pattern = `/${segments.join("/")}`;
      const concrete = segments.map((s) => {
        const param = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(s)?.[1];
        return param ? encodeURIComponent(params[param] ?? `dummy-${param}`) : s;
      });
      found.push({ kind: match[1] as AppRoute["kind"], file: rel, pattern, path: `/${concrete.join("/")}` });
    }
  };
  walk("app", []);
  return found.sort((a, b) => a.file.localeCompare(b.file));
}
