// The layout rule (tests/architecture/rules.ts, docs/architecture.md) over the real import graph: no import cycle
// between files, no two lib/ folders that import each other, every lib/ folder a domain (pure core/ plus
// adapters, entered from app/ through index.ts or browser.ts) or a platform folder, cores that reach no I/O,
// and browser entries that reach no server-only module. tests/architecture/rules.test.ts shows each rule
// failing on a deliberate violation.
//
// Type-only imports count everywhere but in what client code may take: they are erased at run time, but a
// type cycle still ties two modules' changes together, and a Prisma type in a core is the leak this test
// exists to stop. The graph is read with the TypeScript parser and resolved with tsc's own resolution.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildImportGraph, findCycles, findTwoWayFolders, listSourceFiles } from "./architecture/import-graph";
import { appViolations, clientClosure, coreViolations, DOMAINS, entryViolations, isCore, layoutViolations } from "./architecture/rules";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["lib", "engine", "bin", "app", "sample-system", "scripts", "bench", "server.ts"];
const GENERATED = "lib/db/generated"; // the Prisma client: generated code, read as a forbidden target only

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const files = listSourceFiles(ROOT, SCANNED, (rel) => rel === GENERATED);
const graph = buildImportGraph(ROOT, files);
const edgesOf = (file: string) => graph.get(file) ?? [];
const listing = (dir: string) => readdirSync(path.join(ROOT, dir), { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));

describe("the import graph", () => {
  it("covers the code base, and every import of a repo file resolves", () => {
    expect(files.length).toBeGreaterThan(300);
    const unresolved = files.flatMap((f) =>
      edgesOf(f)
        .filter((e) => e.file === null && /^(\.|@\/)/.test(e.specifier) && !/\.css$/.test(e.specifier))
        .map((e) => `${f} imports ${e.specifier}`),
    );
    expect(unresolved).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(findCycles(graph).map((c) => c.cycle.join(" → "))).toEqual([]);
  });

  // lib/ only: sample-system/ is one program whose folders share config.ts and knobs.ts at its root.
  it("has no two lib/ folders that import each other", () => {
    const twoWay = findTwoWayFolders(graph, (f) => (f.startsWith("lib/") && !isTest(f) && !f.startsWith(`${GENERATED}/`) ? path.posix.dirname(f) : null));
    expect(twoWay.map((p) => `${p.folders.join(" ↔ ")}: ${p.there} and ${p.back}`)).toEqual([]);
  });
});

describe("lib/", () => {
  it("holds only domains and platform folders, each domain a core/, adapter folders and its two entries", () => {
    expect(layoutViolations(listing("lib"), (d) => listing(`lib/${d}`))).toEqual([]);
  });

  it("has pure cores: they import only cores and pure packages, and reach no database, Prisma, Next.js or I/O", () => {
    expect(files.filter((f) => isCore(f) && !isTest(f)).length).toBeGreaterThan(100);
    expect(coreViolations(graph, files)).toEqual([]);
  });

  it("keeps the domain entries for app/, and browser.ts browser-safe", () => {
    expect(DOMAINS.every((d) => files.includes(`lib/${d}/index.ts`))).toBe(true);
    expect(entryViolations(graph, files)).toEqual([]);
  });
});

describe("app/", () => {
  const useClient = files.filter((f) => f.startsWith("app/") && /^\s*["']use client["']/.test(readFileSync(path.join(ROOT, f), "utf8")));
  const client = clientClosure(graph, useClient);

  it("reaches a domain only through its entries, client code through browser.ts, and never the database", () => {
    expect(useClient.length).toBeGreaterThan(10);
    expect(appViolations(graph, files, client)).toEqual([]);
  });
});
