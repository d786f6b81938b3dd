// Every handler under app/api serves exactly one operation of the API contract, at that operation's method and path,
// and every operation has exactly one handler: so openapi.json and the typed client (lib/api/client/api-client.ts) describe
// the routes that exist. tests/api-routes-authenticate.test.ts checks that the handlers authenticate.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { api, type Operation } from "../lib/api/core/contract";
import { appRoutes } from "./helpers/app-routes";

const ROOT = path.resolve(import.meta.dirname, "..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

// Handlers not built with route(op, …), with the operation each serves, or null and why it is no operation.
const UNWRAPPED: Record<string, Partial<Record<(typeof METHODS)[number], string | null>>> = {
  // The Faro receiver keeps its own origin rules and backpressure; the contract documents its POST.
  "app/api/faro/collect/route.ts": { POST: "faroCollect", OPTIONS: null /* the CORS preflight */ },
  "app/api/v1/openapi.json/route.ts": { GET: null /* the description of the contract itself */ },
};

const nameOf = new Map<Operation, string>(Object.entries(api).map(([name, op]) => [op, name]));
const routeFiles = appRoutes().filter((r) => r.kind === "route" && r.pattern.startsWith("/api/"));

type Served = { file: string; method: string; pattern: string; operation: string | null };

async function servedBy(file: string, pattern: string): Promise<Served[]> {
  const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
  return METHODS.filter((m) => typeof mod[m] === "function").map((method) => {
    const op = (mod[method] as { operation?: Operation }).operation;
    const listed = UNWRAPPED[file] ?? {};
    const operation = op ? (nameOf.get(op) ?? `(an operation not in api: ${op.method} ${op.path})`) : method in listed ? listed[method]! : "(no operation)";
    return { file, method, pattern, operation };
  });
}

describe("route files and contract operations match one to one", () => {
  let served: Served[] = [];
  it("reads every route file under app/api", async () => {
    served = (await Promise.all(routeFiles.map((r) => servedBy(r.file, r.pattern)))).flat();
    expect(routeFiles.length).toBeGreaterThan(30);
    expect(served.filter((s) => s.operation?.startsWith("(")).map((s) => `${s.method} ${s.file}: ${s.operation}`)).toEqual([]);
  }, 60_000);

  it("each handler sits at its operation's path and method", () => {
    const wrong = served.flatMap((s) => {
      const op = s.operation === null ? undefined : (api as Record<string, Operation>)[s.operation];
      if (!op) return [];
      const filePattern = op.path.replace(/\{(\w+)\}/g, "[$1]");
      return op.method === s.method && filePattern === s.pattern ? [] : [`${s.method} ${s.pattern} serves ${s.operation} (${op.method} ${op.path})`];
    });
    expect(wrong).toEqual([]);
  });

  it("each operation has exactly one handler", () => {
    const count = new Map(Object.keys(api).map((name) => [name, 0]));
    for (const s of served) if (s.operation !== null && count.has(s.operation)) count.set(s.operation, count.get(s.operation)! + 1);
    expect([...count].filter(([, n]) => n !== 1).map(([name, n]) => `${name}: ${n} handlers`)).toEqual([]);
  });

  it("each operation declares exactly the path parameters its path names, apart from its query", () => {
    const wrong = Object.entries(api as Record<string, Operation>).flatMap(([name, op]) => {
      const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      const declared = Object.keys(op.params?.shape ?? {}).sort();
      return JSON.stringify(inPath) === JSON.stringify(declared) ? [] : [`${name}: path names ${inPath.join(", ") || "none"}, params declare ${declared.join(", ") || "none"}`];
    });
    expect(wrong).toEqual([]);
  });

  it("lists only existing handlers as not built with route()", () => {
    const listed = Object.entries(UNWRAPPED).flatMap(([file, methods]) => Object.keys(methods).map((m) => `${m} ${file}`));
    const found = new Set(served.map((s) => `${s.method} ${s.file}`));
    expect(listed.filter((l) => !found.has(l))).toEqual([]);
  });
});
