// Each layout rule fails on a deliberate violation and passes once it is removed, so a green
// tests/architecture.test.ts means "the layout holds", not "the rule is blind".
import { describe, expect, it } from "vitest";
import type { ImportEdge, ImportGraph } from "./import-graph";
import { appViolations, clientClosure, coreViolations, DOMAINS, entryViolations, layoutViolations } from "./rules";

const edge = (file: string, typeOnly = false): ImportEdge => ({ file, specifier: file, typeOnly });
const pkg = (specifier: string): ImportEdge => ({ file: null, specifier, typeOnly: false });
const graphOf = (edges: Record<string, ImportEdge[]>): ImportGraph => new Map(Object.entries(edges));
const filesOf = (g: ImportGraph) => [...g.keys()];

describe("layoutViolations", () => {
  const good = (d: string) => (d === "slo" ? ["core/", "store/", "index.ts", "browser.ts"] : ["core/", "index.ts"]);

  it("accepts domains with a core, adapter folders and entries, and the platform folders", () => {
    expect(layoutViolations([...DOMAINS.map((d) => `${d}/`), "db/", "runtime/", "errors.ts"], good)).toEqual([]);
  });

  it("names a loose file in a domain, a domain without a core, and an unlisted lib/ folder", () => {
    const listing = (d: string) => (d === "slo" ? ["core/", "store/", "budget.ts"] : d === "gate" ? ["store/", "index.ts"] : good(d));
    expect(layoutViolations(["slo/", "gate/", "misc/"], listing)).toEqual([
      "lib/misc/ is neither a domain nor a platform folder: add it to one list, with docs/architecture.md",
      "lib/gate/ has no core/ folder",
      "lib/slo/budget.ts: a domain's files live in core/ or in an adapter folder; only index.ts and browser.ts sit at its top",
    ]);
  });
});

describe("coreViolations", () => {
  it("accepts a core importing a core, lib/errors.ts and zod", () => {
    const g = graphOf({ "lib/slo/core/budget.ts": [edge("lib/telemetry/core/views/red.ts"), edge("lib/errors.ts"), pkg("zod")], "lib/telemetry/core/views/red.ts": [], "lib/errors.ts": [] });
    expect(coreViolations(g, filesOf(g))).toEqual([]);
  });

  it("names a core importing a store, and the I/O it reaches through it, even by a type-only import", () => {
    const g = graphOf({
      "lib/slo/core/budget.ts": [edge("lib/slo/store/slos.ts", true)],
      "lib/slo/store/slos.ts": [edge("lib/db/client.ts")],
      "lib/db/client.ts": [],
    });
    expect(coreViolations(g, filesOf(g))).toEqual([
      "lib/slo/core/budget.ts imports lib/slo/store/slos.ts: a core imports only cores, lib/errors.ts and pure packages",
      "lib/slo/core/budget.ts → lib/slo/store/slos.ts → lib/db/client.ts: a core reaches I/O",
    ]);
  });

  it("names a core importing an I/O package", () => {
    const g = graphOf({ "lib/gate/core/decide.ts": [pkg("node:fs")] });
    expect(coreViolations(g, filesOf(g))).toHaveLength(2);
  });
});

describe("appViolations", () => {
  const g = graphOf({
    "app/page.tsx": [edge("lib/slo/index.ts"), edge("lib/context/app-context.ts")],
    "app/form.tsx": [edge("lib/slo/browser.ts"), edge("lib/slo/index.ts", true), edge("app/helper.ts")],
    "app/helper.ts": [edge("lib/slo/core/definition.ts")],
    "app/route.ts": [edge("lib/db/client.ts"), pkg("pg")],
    "app/chart.tsx": [edge("lib/signals/index.ts")],
  });
  const client = clientClosure(g, ["app/form.tsx", "app/chart.tsx"]);

  it("follows client code into the app/ files it imports", () => {
    expect([...client].sort()).toEqual(["app/chart.tsx", "app/form.tsx", "app/helper.ts"]);
  });

  it("names a domain file imported past its entries, the database, and client code taking values from index.ts", () => {
    expect(appViolations(g, filesOf(g), client)).toEqual([
      "app/helper.ts imports lib/slo/core/definition.ts: app/ imports a domain only from lib/slo/index.ts or browser.ts",
      "app/route.ts imports lib/db/client.ts: app/ reads the database through a domain",
      "app/route.ts imports pg: app/ reads the database through a domain",
      "app/chart.tsx imports lib/signals/index.ts: client code takes values from lib/signals/browser.ts",
    ]);
  });
});

describe("entryViolations", () => {
  it("names lib/ code importing an entry, and a browser entry that reaches the database", () => {
    const g = graphOf({
      "lib/slo/browser.ts": [edge("lib/slo/core/definition.ts"), edge("lib/slo/store/slos.ts", true), edge("lib/slo/store/status.ts")],
      "lib/slo/core/definition.ts": [],
      "lib/slo/store/slos.ts": [edge("lib/db/client.ts")],
      "lib/slo/store/status.ts": [edge("lib/db/client.ts")],
      "lib/gate/store/evaluate.ts": [edge("lib/slo/index.ts")],
      "lib/slo/index.ts": [],
      "lib/db/client.ts": [],
    });
    expect(entryViolations(g, filesOf(g))).toEqual([
      "lib/gate/store/evaluate.ts imports lib/slo/index.ts: inside lib/, import the file itself",
      "lib/slo/browser.ts → lib/slo/store/status.ts → lib/db/client.ts: browser.ts must stay browser-safe",
    ]);
  });
});
