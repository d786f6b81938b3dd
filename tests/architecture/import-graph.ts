// The import graph of the repository's TypeScript files, and the two checks run over it:
// cycles (Tarjan's strongly connected components) and forbidden reach (breadth-first search).
// Imports are read with the TypeScript parser and resolved with TypeScript's own module resolution
// and tsconfig paths, so `@/lib/x`, `./x.js`, `index.ts` and `export … from` resolve as tsc sees them.
import { readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export type ImportEdge = {
  /** Repo-relative path of the imported file, or null when the import leaves the repository. */
  file: string | null;
  /** The specifier as written (`./x`, `@/lib/db/client`, `node:fs`, `@prisma/client`). */
  specifier: string;
  /** Erased at compile time: `import type`, `export type … from`, `import { type A }`, `typeof import("x")`. */
  typeOnly: boolean;
};

/** Repo-relative file path → the imports it makes. */
export type ImportGraph = Map<string, ImportEdge[]>;

const SOURCE = /\.(ts|tsx|mts|cts)$/;

/** Every .ts/.tsx file under `dirs` (repo-relative), skipping generated code, node_modules and `.d.ts`. */
export function listSourceFiles(root: string, dirs: readonly string[], skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.name === "node_modules" || entry.name.startsWith(".") || skip(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(child);
    }
  };
  for (const dir of dirs) {
    if (SOURCE.test(dir)) out.push(dir);
    else walk(dir);
  }
  return out.sort();
}

type RawImport = { specifier: string; typeOnly: boolean };

/** The module specifiers one file imports, with whether each is erased at compile time. */
export function readImports(fileName: string, text: string): RawImport[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: RawImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: importIsTypeOnly(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const typeOnly = node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if (isDynamicImport || isRequire) found.push({ specifier: (node.arguments[0] as ts.StringLiteralLike).text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importIsTypeOnly(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import "./side-effect"` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  // With verbatimModuleSyntax off, `import { type A, type B }` is elided entirely; `import {}` is not.
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Reads and resolves the imports of `files` (repo-relative) the way tsc does with the repo's tsconfig. */
export function buildImportGraph(root: string, files: readonly string[], tsconfigPath = path.join(root, "tsconfig.json")): ImportGraph {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfigPath)).options;
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  // Only relative specifiers and tsconfig path aliases can name a repo file; resolving packages
  // (walking node_modules) would cost most of the time and always answer "outside".
  const aliases = Object.keys(options.paths ?? {}).map((pattern) => pattern.replace(/\*$/, ""));
  const mayBeInRepo = (specifier: string) => specifier.startsWith(".") || aliases.some((a) => (a.endsWith("/") ? specifier.startsWith(a) : specifier === a));
  const graph: ImportGraph = new Map();
  for (const rel of files) {
    const abs = path.join(root, rel);
    const text = ts.sys.readFile(abs);
    if (text === undefined) throw new Error(`cannot read ${rel}`);
    graph.set(rel, readImports(abs, text).map(({ specifier, typeOnly }) => {
      if (!mayBeInRepo(specifier)) return { file: null, specifier, typeOnly };
      const resolved = ts.resolveModuleName(specifier, abs, options, ts.sys, cache).resolvedModule;
      const target = resolved && !resolved.isExternalLibraryImport ? path.relative(root, resolved.resolvedFileName).split(path.sep).join("/") : null;
      const inRepo = target !== null && !target.startsWith("../") && !target.includes("node_modules/");
      return { file: inRepo ? target : null, specifier, typeOnly };
    }));
  }
  return graph;
}

export type EdgeFilter = (from: string, edge: ImportEdge) => boolean;

export type ImportCycle = {
  /** Every file in the strongly connected component, sorted. */
  members: string[];
  /** One shortest cycle through the first member, `a → b → … → a`, so the message names an edge to cut. */
  cycle: string[];
};

/** The import cycles: each strongly connected component of more than one file, or a file importing itself. */
export function findCycles(graph: ImportGraph, include: EdgeFilter = () => true): ImportCycle[] {
  const next = (from: string): string[] => [...new Set((graph.get(from) ?? []).filter((e) => e.file !== null && graph.has(e.file) && include(from, e)).map((e) => e.file as string))];
  // Iterative Tarjan: recursion would overflow on long import chains.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; children: string[]; i: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node), i: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++]!;
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || next(frame.node).includes(frame.node)) components.push(component.sort());
    }
  }
  return components.map((members) => ({ members, cycle: shortestCycle(members, next) })).sort((a, b) => a.members[0]!.localeCompare(b.members[0]!));
}

function shortestCycle(component: string[], next: (from: string) => string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  // Breadth-first from the first file back to itself, staying inside the component.
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const child of next(node)) {
      if (!members.has(child)) continue;
      if (child === start) {
        const pathBack = [node];
        while (pathBack[0] !== start) pathBack.unshift(cameFrom.get(pathBack[0]!)!);
        return [...pathBack, start];
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node);
        queue.push(child);
      }
    }
  }
  return [start, start];
}

export type ForbiddenReach = { from: string; chain: string[] };

/**
 * For each file in `from`, the first forbidden import it reaches, directly or through other repo files,
 * as the chain of files ending in the forbidden file or package specifier.
 */
export function findForbiddenReach(
  graph: ImportGraph,
  from: readonly string[],
  isForbidden: (edge: ImportEdge) => boolean,
  include: EdgeFilter = () => true,
): ForbiddenReach[] {
  const out: ForbiddenReach[] = [];
  for (const start of from) {
    const cameFrom = new Map<string, string | null>([[start, null]]);
    const queue = [start];
    let hit: string[] | undefined;
    while (queue.length > 0 && !hit) {
      const node = queue.shift()!;
      for (const edge of graph.get(node) ?? []) {
        if (!include(node, edge)) continue;
        if (isForbidden(edge)) {
          const chain = [edge.file ?? edge.specifier];
          for (let at: string | null = node; at !== null; at = cameFrom.get(at) ?? null) chain.unshift(at);
          hit = chain;
          break;
        }
        if (edge.file !== null && graph.has(edge.file) && !cameFrom.has(edge.file)) {
          cameFrom.set(edge.file, node);
          queue.push(edge.file);
        }
      }
    }
    if (hit) out.push({ from: start, chain: hit });
  }
  return out;
}

export type TwoWayFolders = { folders: [string, string]; there: string; back: string };

/**
 * Folder pairs that import each other, each with one file import per direction as `a.ts → b.ts`.
 * `folderOf` names a file's folder, or null to leave the file out.
 */
export function findTwoWayFolders(graph: ImportGraph, folderOf: (file: string) => string | null): TwoWayFolders[] {
  const firstEdge = new Map<string, string>(); // "a → b" → the first file import that makes it
  for (const [from, edges] of graph) {
    const a = folderOf(from);
    if (a === null) continue;
    for (const e of edges) {
      const b = e.file === null ? null : folderOf(e.file);
      if (b === null || b === a) continue;
      if (!firstEdge.has(`${a} → ${b}`)) firstEdge.set(`${a} → ${b}`, `${from} → ${e.file}`);
    }
  }
  return [...firstEdge.keys()].flatMap((key) => {
    const [a, b] = key.split(" → ") as [string, string];
    const back = firstEdge.get(`${b} → ${a}`);
    return a < b && back ? [{ folders: [a, b] as [string, string], there: firstEdge.get(key)!, back }] : [];
  }).sort((x, y) => x.folders.join().localeCompare(y.folders.join()));
}
