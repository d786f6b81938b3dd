import { describe, expect, it } from "vitest";
import { createRouteLabeller, UNMATCHED_ROUTE } from "./route-patterns";

const label = createRouteLabeller(["/", "/services", "/services/[name]", "/signals/thresholds", "/signals/[id]", "/api/v1/tokens/[id]", "/api/v1/traces/[traceId]", "/docs/[...slug]", "/help/[[...topic]]"]);

describe("createRouteLabeller", () => {
  it.each([
    ["/", "/"],
    ["/services", "/services"],
    ["/services/", "/services"],
    ["/services/checkout-secret-name", "/services/[name]"],
    ["/signals/thresholds", "/signals/thresholds"],
    ["/signals/3f2a", "/signals/[id]"],
    ["/api/v1/tokens/tg_abcdef", "/api/v1/tokens/[id]"],
    ["/api/v1/traces/5b8efff798038103d269b633813fc60c", "/api/v1/traces/[traceId]"],
    ["/docs/a/b/c", "/docs/[...slug]"],
    ["/help", "/help/[[...topic]]"],
    ["/help/x/y", "/help/[[...topic]]"],
    ["/_next/static/chunks/abc.js", "/_next/*"],
    ["/metrics", "/metrics"],
  ])("%s → %s", (path, expected) => expect(label(path)).toBe(expected));

  it("never turns an unknown path into a label of its own: made-up paths share one value", () => {
    const made = ["/docs", "/services/a/b", "/x", `/${"y".repeat(500)}`, "//services", "/services//"].map(label);
    expect(new Set(made)).toEqual(new Set([UNMATCHED_ROUTE]));
  });
});
