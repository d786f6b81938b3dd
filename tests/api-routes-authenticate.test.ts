// The console's session chokepoint lets /api/ through because each route handler authenticates itself;
// this proves it for every route file under app/api, including ones added later.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { api } from "../lib/api/core/contract";
import { appRoutes } from "./helpers/app-routes";

const ROOT = path.resolve(import.meta.dirname, "..");
// Route files that do not use route(), each with the reason it is safe without a session.
const OWN_AUTH: Record<string, string> = {
  "app/api/faro/collect/route.ts": "the Faro receiver admits same-origin or listed origins, else asks for an ingest token",
  "app/api/v1/openapi.json/route.ts": "the API description is public and holds no data",
};
const METHODS = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS";

const underApi = appRoutes().filter((r) => r.pattern.startsWith("/api/"));

describe("every route under app/api authenticates", () => {
  it("finds the route files (the walk works)", () => {
    expect(underApi.filter((r) => r.kind === "route").length).toBeGreaterThan(30);
  });

  it("has no pages under /api/, where the chokepoint does not ask for a session", () => {
    expect(underApi.filter((r) => r.kind !== "route").map((r) => r.file)).toEqual([]);
  });

  it.each(underApi.filter((r) => r.kind === "route").map((r) => [r.file]))("%s: each handler is route(…) or listed with its own auth", (file) => {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    const handlers = [...source.matchAll(new RegExp(`export\\s+(?:const|let|var|async\\s+function|function)\\s+(${METHODS})\\b\\s*(=\\s*)?(\\S+)?`, "g"))];
    expect(handlers.length, "a route file exports at least one method handler").toBeGreaterThan(0);
    // Re-exports (`export { GET } from …`) would escape the check above: refuse them outright.
    expect(source).not.toMatch(new RegExp(`export\\s*\\{[^}]*\\b(${METHODS})\\b`));
    if (file in OWN_AUTH) return;
    for (const [text, , assign, rhs] of handlers) expect(assign && rhs?.startsWith("route("), `${text.trim()} must be route(op, handler)`).toBe(true);
  });

  it("lists only existing files as authenticating themselves", () => {
    const files = new Set(underApi.map((r) => r.file));
    expect(Object.keys(OWN_AUTH).filter((f) => !files.has(f))).toEqual([]);
  });

  it("the contract lets only login, logout and the self-authenticating Faro receiver through without a caller", () => {
    const open = Object.values(api).filter((op) => op.scope === "public").map((op) => `${op.method} ${op.path}`);
    expect(open.sort()).toEqual(["POST /api/faro/collect", "POST /api/v1/auth/login", "POST /api/v1/auth/logout"]);
  });
});
