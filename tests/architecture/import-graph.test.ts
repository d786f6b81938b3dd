// The boundary checker itself: it must find cycles and forbidden imports in a graph made to have them,
// so a green tests/architecture.test.ts means "no violation", not "checker blind".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildImportGraph, findCycles, findForbiddenReach, findTwoWayFolders, listSourceFiles, readImports, type ImportEdge, type ImportGraph } from "./import-graph";

const edge = (file: string, typeOnly = false): ImportEdge => ({ file, specifier: file, typeOnly });
const external = (specifier: string): ImportEdge => ({ file: null, specifier, typeOnly: false });
const graphOf = (edges: Record<string, ImportEdge[]>): ImportGraph => new Map(Object.entries(edges));

describe("findCycles", () => {
  it("finds a two-file cycle and names the edge back", () => {
    const g = graphOf({ "a.ts": [edge("b.ts")], "b.ts": [edge("a.ts")], "c.ts": [edge("a.ts")] });
    expect(findCycles(g)).toEqual([{ members: ["a.ts", "b.ts"], cycle: ["a.ts", "b.ts", "a.ts"] }]);
  });

  it("finds a long cycle and a self-import, and nothing in a chain", () => {
    const g = graphOf({
      "a.ts": [edge("b.ts")],
      "b.ts": [edge("c.ts")],
      "c.ts": [edge("a.ts"), edge("d.ts")],
      "d.ts": [edge("e.ts")],
      "e.ts": [],
      "s.ts": [edge("s.ts")],
    });
    expect(findCycles(g)).toEqual([
      { members: ["a.ts", "b.ts", "c.ts"], cycle: ["a.ts", "b.ts", "c.ts", "a.ts"] },
      { members: ["s.ts"], cycle: ["s.ts", "s.ts"] },
    ]);
    expect(findCycles(graphOf({ "a.ts": [edge("b.ts")], "b.ts": [edge("c.ts")], "c.ts": [] }))).toEqual([]);
  });

  it("counts a type-only import, and an excepted edge no longer closes the cycle", () => {
    const g = graphOf({ "a.ts": [edge("b.ts")], "b.ts": [edge("a.ts", true)] });
    expect(findCycles(g)).toHaveLength(1);
    expect(findCycles(g, (from, e) => !(from === "b.ts" && e.file === "a.ts"))).toEqual([]);
  });
});

describe("findForbiddenReach", () => {
  const isIo = (e: ImportEdge) => e.specifier === "node:fs" || (e.file?.startsWith("db/") ?? false);

  it("reports a forbidden import reached through other files, with the chain", () => {
    const g = graphOf({
      "core/a.ts": [edge("core/b.ts"), external("zod")],
      "core/b.ts": [edge("util/c.ts")],
      "util/c.ts": [edge("db/client.ts", true)],
      "db/client.ts": [external("pg")],
      "core/pure.ts": [external("zod")],
    });
    expect(findForbiddenReach(g, ["core/a.ts", "core/pure.ts"], isIo)).toEqual([{ from: "core/a.ts", chain: ["core/a.ts", "core/b.ts", "util/c.ts", "db/client.ts"] }]);
  });

  it("reports a direct node: I/O import", () => {
    const g = graphOf({ "core/a.ts": [external("node:fs")] });
    expect(findForbiddenReach(g, ["core/a.ts"], isIo)).toEqual([{ from: "core/a.ts", chain: ["core/a.ts", "node:fs"] }]);
  });
});

describe("findTwoWayFolders", () => {
  it("reports folders that import each other, with one import each way, and not a one-way pair", () => {
    const g = graphOf({
      "lib/db/writer.ts": [edge("lib/telemetry/rollup.ts"), edge("lib/db/client.ts")],
      "lib/db/client.ts": [],
      "lib/telemetry/rollup.ts": [],
      "lib/telemetry/query.ts": [edge("lib/db/client.ts", true)],
      "lib/slo/burn.ts": [edge("lib/telemetry/rollup.ts")],
    });
    const folderOf = (f: string) => f.slice(0, f.lastIndexOf("/"));
    expect(findTwoWayFolders(g, folderOf)).toEqual([{ folders: ["lib/db", "lib/telemetry"], there: "lib/db/writer.ts → lib/telemetry/rollup.ts", back: "lib/telemetry/query.ts → lib/db/client.ts" }]);
    expect(findTwoWayFolders(g, (f) => (f === "lib/telemetry/query.ts" ? null : folderOf(f)))).toEqual([]);
  });
});

describe("readImports", () => {
  it("reads every import form and marks the ones erased at compile time", () => {
    const text = [
      `import a from "./a";`,
      `import type { B } from "./b";`,
      `import { type C, type D } from "./c";`,
      `import { type E, f } from "./e";`,
      `import "./side-effect";`,
      `export { g } from "./g";`,
      `export type { H } from "./h";`,
      `export * as ns from "./ns";`,
      `const lazy = () => import("./lazy");`,
      `type T = typeof import("./typed");`,
      `const r = require("./required");`,
    ].join("\n");
    expect(readImports("x.ts", text)).toEqual([
      { specifier: "./a", typeOnly: false },
      { specifier: "./b", typeOnly: true },
      { specifier: "./c", typeOnly: true },
      { specifier: "./e", typeOnly: false },
      { specifier: "./side-effect", typeOnly: false },
      { specifier: "./g", typeOnly: false },
      { specifier: "./h", typeOnly: true },
      { specifier: "./ns", typeOnly: false },
      { specifier: "./lazy", typeOnly: false },
      { specifier: "./typed", typeOnly: true },
      { specifier: "./required", typeOnly: false },
    ]);
  });
});

describe("buildImportGraph on files written to disk", () => {
  const root = mkdtempSync(path.join(tmpdir(), "tailguard-import-graph-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("resolves relative, `.js`, index and `@/` imports, and finds the cycle and the forbidden import a core makes", () => {
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", paths: { "@/*": ["./*"] } } }),
      "lib/core/a.ts": `import { b } from "./b.js";\nexport const a = b;`,
      "lib/core/b.ts": `import type { Row } from "@/lib/db";\nexport const b = 1 as unknown as Row;`,
      "lib/db/index.ts": `import { readFileSync } from "node:fs";\nimport { a } from "../core/a";\nexport type Row = typeof a;\nexport const read = readFileSync;`,
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const g = buildImportGraph(root, listSourceFiles(root, ["lib"]));
    expect(g.get("lib/core/b.ts")).toEqual([{ file: "lib/db/index.ts", specifier: "@/lib/db", typeOnly: true }]);
    expect(findCycles(g).map((c) => c.members)).toEqual([["lib/core/a.ts", "lib/core/b.ts", "lib/db/index.ts"]]);
    const reach = findForbiddenReach(g, ["lib/core/a.ts"], (e) => e.file === null && e.specifier.startsWith("node:"));
    expect(reach).toEqual([{ from: "lib/core/a.ts", chain: ["lib/core/a.ts", "lib/core/b.ts", "lib/db/index.ts", "node:fs"] }]);
  });
});
