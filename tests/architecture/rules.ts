// The layout rule of lib/ (docs/architecture.md), as checks over the import graph. Each returns the
// violations it finds as readable lines, so a failing test names the file and the import to change.
//
// lib/ holds two kinds of folder. A domain (DOMAINS) has its pure core in core/ and its adapters beside it
// (store/, query/, write/, receive/, deliver/, guard/, http/, client/, browser/), and two public entries:
// index.ts for app/'s server code and browser.ts for client components. A platform folder (PLATFORM)
// is shared infrastructure with no domain decisions: the database, the process, config, logs and metrics.
import { findForbiddenReach, type ImportEdge, type ImportGraph } from "./import-graph";

export const DOMAINS = ["api", "auth", "faro", "gate", "signals", "slo", "telemetry", "webhooks"] as const;
export const PLATFORM = ["audit", "config", "context", "db", "observability", "random", "runtime", "errors.ts"] as const;
/** Files a domain folder may hold at its top level, beside its subfolders. */
export const ENTRIES = ["index.ts", "browser.ts"] as const;

/** Packages a core may import: pure computation, no I/O. */
export const CORE_PACKAGES = [
  "zod",
  "yaml",
  "re2js", // linear-time regexes for label matchers
  "simple-statistics", // distributions for the canary comparisons (normal CDF, log-gamma)
  "node:buffer", // Buffer as a byte view for the wire reader
  "node:crypto", // hashing attribute sets into series keys, password and token hashes
  // lib/telemetry/core/otlp/generated.ts loads the official protobufjs OTLP code, which the package's exports
  // map hides from `import`; it encodes and decodes bytes and does no I/O once loaded.
  "node:module",
  "@opentelemetry/otlp-transformer/build/src/generated/root.js",
  "elkjs/lib/elk.bundled.js", // graph layout of the service map, run in the calling thread: computation, no I/O
];

/** Platform modules a core may import: pure, shared by every domain. */
export const CORE_PLATFORM = ["lib/errors.ts"];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
export const isCore = (file: string) => /^lib\/[^/]+\/core\//.test(file);
const domainOf = (file: string) => /^lib\/([^/]+)\//.exec(file)?.[1] ?? null;
const isDomain = (name: string | null) => name !== null && (DOMAINS as readonly string[]).includes(name);
const entryOf = (file: string) => /^lib\/([^/]+)\/(index|browser)\.ts$/.exec(file);

/** The top level of lib/ and of each domain, from a listing of lib/ (`name` or `name/` for a folder). */
export function layoutViolations(lib: readonly string[], domainListing: (domain: string) => readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of lib) {
    const name = entry.replace(/\/$/, "");
    if (!isDomain(name) && !(PLATFORM as readonly string[]).includes(name)) out.push(`lib/${entry} is neither a domain nor a platform folder: add it to one list, with docs/architecture.md`);
  }
  for (const domain of DOMAINS) {
    const listing = domainListing(domain);
    if (!listing.includes("core/")) out.push(`lib/${domain}/ has no core/ folder`);
    for (const entry of listing) {
      if (!entry.endsWith("/") && !(ENTRIES as readonly string[]).includes(entry)) out.push(`lib/${domain}/${entry}: a domain's files live in core/ or in an adapter folder; only ${ENTRIES.join(" and ")} sit at its top`);
    }
  }
  return out;
}

/** Cores import only cores, the pure platform modules and pure packages, and reach no I/O through anything. */
export function coreViolations(graph: ImportGraph, files: readonly string[]): string[] {
  const cores = files.filter((f) => isCore(f) && !isTest(f));
  const direct = cores.flatMap((f) =>
    (graph.get(f) ?? [])
      .filter((e) => (e.file === null ? !CORE_PACKAGES.includes(e.specifier) : !isCore(e.file) && !CORE_PLATFORM.includes(e.file)))
      .map((e) => `${f} imports ${e.file ?? e.specifier}: a core imports only cores, ${CORE_PLATFORM.join(", ")} and pure packages`),
  );
  const forbidden = (e: ImportEdge) => (e.file === null ? !CORE_PACKAGES.includes(e.specifier) : e.file.startsWith("lib/db/") || /^(app|engine|bin)\//.test(e.file));
  const reach = findForbiddenReach(graph, cores, forbidden).map((r) => `${r.chain.join(" → ")}: a core reaches I/O`);
  return [...direct, ...reach];
}

/**
 * app/ reaches a domain only through its entries: index.ts from server code, browser.ts from client components
 * (`clientFiles`: the app/ files marked "use client" and what they import in app/, values only). app/ never
 * imports lib/db or a database client. Type-only imports of index.ts from client code are erased and allowed.
 */
export function appViolations(graph: ImportGraph, files: readonly string[], clientFiles: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const f of files.filter((x) => x.startsWith("app/"))) {
    for (const e of graph.get(f) ?? []) {
      if (e.file === null) {
        if (/^(@prisma\/|prisma$|pg$|@electric-sql\/pglite)/.test(e.specifier)) out.push(`${f} imports ${e.specifier}: app/ reads the database through a domain`);
        continue;
      }
      if (e.file.startsWith("lib/db/")) out.push(`${f} imports ${e.file}: app/ reads the database through a domain`);
      if (!isDomain(domainOf(e.file))) continue;
      const entry = entryOf(e.file);
      if (!entry) out.push(`${f} imports ${e.file}: app/ imports a domain only from lib/${domainOf(e.file)}/index.ts or browser.ts`);
      else if (clientFiles.has(f) && entry[2] === "index" && !e.typeOnly) out.push(`${f} imports ${e.file}: client code takes values from lib/${entry[1]}/browser.ts`);
    }
  }
  return out;
}

/** The entries are app/'s alone (lib/ imports files, so a barrel never closes a cycle), and browser.ts stays browser-safe. */
export function entryViolations(graph: ImportGraph, files: readonly string[]): string[] {
  const lib = files.filter((f) => f.startsWith("lib/") && !entryOf(f));
  const intoEntry = lib.flatMap((f) => (graph.get(f) ?? []).filter((e) => e.file !== null && entryOf(e.file)).map((e) => `${f} imports ${e.file}: inside lib/, import the file itself`));
  const browserEntries = files.filter((f) => entryOf(f)?.[2] === "browser");
  const serverOnly = (e: ImportEdge) => (e.file === null ? /^(node:(?!buffer$)|@prisma\/|prisma$|pg$|@electric-sql\/|prom-client$|next\/server$)/.test(e.specifier) : e.file.startsWith("lib/db/"));
  const leaks = findForbiddenReach(graph, browserEntries, serverOnly, (_, e) => !e.typeOnly).map((r) => `${r.chain.join(" → ")}: browser.ts must stay browser-safe`);
  return [...intoEntry, ...leaks];
}

/** The app/ files that run in the browser: those marked "use client" and every app/ file they import for values. */
export function clientClosure(graph: ImportGraph, useClient: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...useClient];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const e of graph.get(f) ?? []) if (e.file?.startsWith("app/") && !e.typeOnly) queue.push(e.file);
  }
  return seen;
}
