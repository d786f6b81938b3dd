// Rule: no import cycle between files and no two lib/ folders that import each other; nothing the pure
// domain cores (CORES) import, directly or through other files, lies under lib/db/, app/, engine/ or bin/
// or is a package outside CORE_PACKAGES (so no database, Prisma, Next.js or I/O); and app/ imports
// neither lib/db/ nor a database client.
//
// Type-only imports count everywhere: they are erased at run time, but a type cycle still ties two modules'
// changes together, and a Prisma type in a core is the leak this test exists to stop.
// The graph is read with the TypeScript parser and resolved with tsc's own resolution (tsconfig paths
// included); tests/architecture/import-graph.test.ts shows the checker catching made-up violations.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildImportGraph, findCycles, findForbiddenReach, findTwoWayFolders, listSourceFiles, type ImportEdge } from "./architecture/import-graph";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["lib", "engine", "bin", "app", "sample-system", "scripts", "bench", "server.ts"];
const GENERATED = "lib/db/generated"; // the Prisma client: generated code, read as a forbidden target only

/** The pure domain cores: numbers, series, definitions and bytes in; decisions, signals and rows out. */
const CORES = [
  "lib/slo/", // SLO definitions, SLIs, burn rates, budgets, alert state, OpenSLO
  "lib/gate/", // gate policy and decisions
  "lib/detect/", // detectors over series
  "lib/otlp/", // OTLP wire reading, decoding, normalising, rollups and job derivation
];

/** Packages a core may import: pure computation, no I/O. */
const CORE_PACKAGES = [
  "zod",
  "yaml",
  "re2js", // linear-time regexes for label matchers
  "node:buffer", // Buffer as a byte view for the wire reader
  "node:crypto", // hashing attribute sets into series keys
  // lib/otlp/generated.ts loads the official protobufjs OTLP code, which the package's exports map hides
  // from `import`; it encodes and decodes bytes and does no I/O once loaded.
  "node:module",
  "@opentelemetry/otlp-transformer/build/src/generated/root.js",
];

/** Cycle edges tolerated for now, each with the reason; an edge listed here must still exist. */
const CYCLE_EXCEPTIONS: { from: string; to: string; why: string }[] = [];

/** lib/ folder pairs allowed to import each other for now, each with the reason. */
const FOLDER_PAIR_EXCEPTIONS: { folders: [string, string]; why: string }[] = [
  // lib/runtime holds both AppContext, which every handler reads through lib/http/route.ts, and the web
  // server and session chokepoint, which use lib/http's cookie and client-address helpers. The fix is
  // giving context.ts a folder of its own (31 importers, most in app/), part of the layout move.
  { folders: ["lib/http", "lib/runtime"], why: "AppContext lives beside the server that uses lib/http" },
];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const files = listSourceFiles(ROOT, SCANNED, (rel) => rel === GENERATED);
const graph = buildImportGraph(ROOT, files);
const edgesOf = (file: string) => graph.get(file) ?? [];
const isCycleException = (from: string, e: ImportEdge) => CYCLE_EXCEPTIONS.some((x) => x.from === from && x.to === e.file);

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
    const cycles = findCycles(graph, (from, e) => !isCycleException(from, e));
    expect(cycles.map((c) => c.cycle.join(" → "))).toEqual([]);
  });

  it("lists only cycle exceptions that are still needed", () => {
    const stale = CYCLE_EXCEPTIONS.filter((x) => !edgesOf(x.from).some((e) => e.file === x.to));
    expect(stale.map((x) => `${x.from} → ${x.to}: the import is gone, remove it from CYCLE_EXCEPTIONS`)).toEqual([]);
  });

  // lib/ only: sample-system/ is one program whose folders share config.ts and knobs.ts at its root.
  const twoWay = findTwoWayFolders(graph, (f) => (f.startsWith("lib/") && !isTest(f) && !f.startsWith(`${GENERATED}/`) ? path.posix.dirname(f) : null));
  const sameFolders = ([a, b]: [string, string], [x, y]: [string, string]) => (a === x && b === y) || (a === y && b === x);

  it("has no two lib/ folders that import each other", () => {
    const pairs = twoWay.filter((p) => !FOLDER_PAIR_EXCEPTIONS.some((x) => sameFolders(x.folders, p.folders)));
    expect(pairs.map((p) => `${p.folders.join(" ↔ ")}: ${p.there} and ${p.back}`)).toEqual([]);
  });

  it("lists only folder-pair exceptions that are still needed", () => {
    const stale = FOLDER_PAIR_EXCEPTIONS.filter((x) => !twoWay.some((p) => sameFolders(x.folders, p.folders)));
    expect(stale.map((x) => `${x.folders.join(" ↔ ")}: no longer two-way, remove it from FOLDER_PAIR_EXCEPTIONS`)).toEqual([]);
  });
});

describe("the pure domain cores", () => {
  const coreFiles = files.filter((f) => CORES.some((c) => f.startsWith(c)) && !isTest(f));
  const forbidden = (e: ImportEdge) =>
    e.file === null ? !CORE_PACKAGES.includes(e.specifier) : e.file.startsWith("lib/db/") || /^(app|engine|bin)\//.test(e.file);

  it("are where the list says", () => {
    expect(coreFiles.length).toBeGreaterThan(60);
  });

  it("reach no database, Prisma, Next.js or I/O module, directly or transitively", () => {
    const reach = findForbiddenReach(graph, coreFiles, forbidden);
    expect(reach.map((r) => r.chain.join(" → "))).toEqual([]);
  });
});

describe("app/", () => {
  it("imports no lib/db module and no database client itself", () => {
    const direct = files
      .filter((f) => f.startsWith("app/"))
      .flatMap((f) => edgesOf(f).filter((e) => (e.file ?? "").startsWith("lib/db/") || /^(@prisma\/|prisma$|pg$|@electric-sql\/pglite)/.test(e.specifier)).map((e) => `${f} → ${e.file ?? e.specifier}`));
    expect(direct).toEqual([]);
  });
});
