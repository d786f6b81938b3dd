// Every console page that reads its URL query does so through consoleSearch, and every page with a dynamic segment
// decodes it with consoleParam (pages found by walking the app directory, so a new page is covered without anyone
// remembering); each is called with hostile values in every parameter — repeated, NUL, a lone surrogate, 10 KB,
// 1e20, a malformed escape — and renders or is not found instead of failing.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { consoleSearch, consoleSearchSchemas, type ConsolePage, type RawSearchParams } from "../lib/api/core/console-search";
import { isSafeText } from "../lib/api/core/fields";
import { createSession, SESSION_COOKIE } from "../lib/auth/store/sessions";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createUser } from "../lib/auth/store/users";
import { installTestApp } from "./helpers/app";
import { appRoutes } from "./helpers/app-routes";
import { describeEachDatabase } from "./helpers/databases";

// Pages read the request's cookie and host through next/headers, which only works inside a Next.js request.
const request = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "localhost:3000" }),
  cookies: async () => ({ get: (name: string) => (name === "tg_session" && request.cookie ? { name, value: request.cookie } : undefined) }),
}));

const ROOT = resolve(import.meta.dirname, "..");
const pages = appRoutes().filter((r) => r.kind === "page" && r.file.startsWith("app/(console)/"));
const readsSearch = pages.filter((p) => readFileSync(resolve(ROOT, p.file), "utf8").includes("searchParams"));

const BAD: (string | string[])[] = [["a", "b"], ["", "x"], "a\u0000b", "a\ud800b", "x".repeat(10_240), "1e20", "99999999999999999999", String(2n ** 63n), "-1", "NaN", "%E0%A4%A", " "];
const fieldsOf = (page: ConsolePage) => Object.keys(consoleSearchSchemas[page].shape);

describe("console search parameters", () => {
  it("are parsed by consoleSearch on every page that reads them, and every schema belongs to a page", () => {
    expect(readsSearch.length).toBeGreaterThan(0);
    for (const page of readsSearch) {
      expect(Object.keys(consoleSearchSchemas), `${page.file} reads searchParams but has no schema in lib/api/core/console-search.ts`).toContain(page.pattern);
      expect(readFileSync(resolve(ROOT, page.file), "utf8"), page.file).toContain(`consoleSearch(${JSON.stringify(page.pattern)}`);
    }
    expect(Object.keys(consoleSearchSchemas).sort()).toEqual(readsSearch.map((p) => p.pattern).sort());
  });

  it("are decoded by consoleParam on every page with a dynamic segment", () => {
    const dynamic = pages.filter((p) => p.pattern.includes("["));
    expect(dynamic.length).toBeGreaterThan(0);
    for (const page of dynamic) expect(readFileSync(resolve(ROOT, page.file), "utf8"), page.file).toContain("consoleParam(");
  });

  it.each(Object.keys(consoleSearchSchemas) as ConsolePage[])("%s: a bad value is dropped and named, never passed on", (page) => {
    for (const field of fieldsOf(page)) {
      for (const value of BAD) {
        const { values, problems } = consoleSearch(page, { [field]: value, unknown: "a\u0000b" });
        const got = (values as Record<string, unknown>)[field];
        if (Array.isArray(value)) expect(problems, `${page} ${field} repeated`).toEqual([`${field}: given more than once`]);
        if (got === undefined) continue;
        expect(typeof got === "string" && isSafeText(got) && got.length <= 255, `${page} ${field}=${JSON.stringify(value).slice(0, 40)} → ${JSON.stringify(got).slice(0, 40)}`).toBe(true);
      }
      expect(Object.keys(consoleSearch(page, { unknown: "x" }).values)).toEqual([]);
    }
  });
});

describeEachDatabase("console pages with hostile search parameters", ({ db }) => {
  beforeAll(async () => {
    installTestApp(db());
    const user = await createUser({ db: db(), actor: SYSTEM_ACTOR, requestId: "test" }, { email: "pages@example.com", name: "Pages", role: "admin", password: "a-long-enough-password" });
    request.cookie = (await createSession(db(), user.id, "test-session-key-0123456789abcdef0123456789")).cookieValue;
  });

  // Next.js hands a page its dynamic segments percent-encoded (encodeURIComponent of the decoded value).
  for (const page of pages.filter((p) => p.pattern.includes("["))) {
    it(`${page.pattern} renders or is not found with bad values in its path`, async () => {
      const mod = (await import(resolve(ROOT, page.file))) as { default: (props: { params: Promise<Record<string, string>>; searchParams: Promise<RawSearchParams> }) => Promise<unknown> };
      const names = [...page.pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
      for (const value of ["a\u0000b", "x".repeat(10_240), "%", "%E0%A4%A", "1e20", "..", "a/b", " "]) {
        const params = Promise.resolve(Object.fromEntries(names.map((n) => [n, encodeURIComponent(value)])));
        const rendered = await mod.default({ params, searchParams: Promise.resolve({}) }).then(
          () => "rendered",
          (err: unknown) => ((err as { digest?: string }).digest?.startsWith("NEXT_HTTP_ERROR_FALLBACK;404") ? "not found" : `failed: ${String(err)}`),
        );
        expect(rendered, `${page.pattern} with ${JSON.stringify(value).slice(0, 40)}`).toMatch(/^(rendered|not found)$/);
      }
    });
  }

  for (const page of readsSearch) {
    it(`${page.pattern} renders with bad values in each parameter`, async () => {
      const mod = (await import(resolve(ROOT, page.file))) as { default: (props: { params: Promise<Record<string, string>>; searchParams: Promise<RawSearchParams> }) => Promise<unknown> };
      const params = Promise.resolve(Object.fromEntries([...page.pattern.matchAll(/\[(\w+)\]/g)].map((m) => [m[1]!, "checkout"])));
      const fields = fieldsOf(page.pattern as ConsolePage);
      const searches: RawSearchParams[] = [
        ...fields.flatMap((field) => BAD.map((value) => ({ [field]: value }))),
        Object.fromEntries(fields.map((field) => [field, ["a", "b"]])),
        Object.fromEntries(fields.map((field) => [field, "a\u0000b"])),
      ];
      for (const search of searches) {
        const rendered = await mod.default({ params, searchParams: Promise.resolve(search) }).then(
          () => "rendered",
          // notFound() for a service that sent nothing is a page, not a failure.
          (err: unknown) => ((err as { digest?: string }).digest?.startsWith("NEXT_HTTP_ERROR_FALLBACK;404") ? "not found" : `failed: ${String(err)}`),
        );
        expect(rendered, `${page.pattern}?${JSON.stringify(search).slice(0, 80)}`).toMatch(/^(rendered|not found)$/);
      }
    });
  }
});
