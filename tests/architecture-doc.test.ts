// docs/architecture.md stays true: every file or folder it names exists.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `a/{b,c}` → `a/b`, `a/c`. */
function expandBraces(p: string): string[] {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(p);
  return m ? m[2]!.split(",").flatMap((alt) => expandBraces(`${m[1]}${alt}${m[3]}`)) : [p];
}

it("names only files and folders that exist", () => {
  const doc = readFileSync(path.join(ROOT, "docs/architecture.md"), "utf8");
  // Code spans that look like repository paths: a known top-level folder or file, no spaces.
  const named = [...doc.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((p) => /^(lib|app|engine|bin|prisma|sample-system|bench|tests|e2e|docs|scripts)\b|^server\.ts$/.test(p))
    .flatMap(expandBraces);
  expect(named.length).toBeGreaterThan(20);
  // A glob (`lib/db/telemetry-*.ts`) needs the folder it starts in.
  const exists = (p: string) => existsSync(path.join(ROOT, p.includes("*") ? p.slice(0, p.lastIndexOf("/", p.indexOf("*"))) : p));
  expect(named.filter((p) => !exists(p))).toEqual([]);
});
