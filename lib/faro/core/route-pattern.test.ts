import { describe, expect, it } from "vitest";
import { routePattern } from "./route-pattern";

describe("routePattern", () => {
  it.each([
    ["/", {}, "/"],
    ["/services", {}, "/services"],
    ["/services/checkout", { name: "checkout" }, "/services/[name]"],
    ["/services/check%20out", { name: "check out" }, "/services/[name]"],
    ["/traces/5b8efff798038103d269b633813fc60c", { traceId: "5b8efff798038103d269b633813fc60c" }, "/traces/[traceId]"],
    ["/slos/slos", { name: "slos" }, "/slos/[name]"],
    ["/docs/a/b/c", { slug: ["a", "b", "c"] }, "/docs/[...slug]"],
    ["/x/a/b/a", { slug: ["a", "b"], id: "a" }, "/x/[...slug]/[id]"],
  ])("%s with %j is %s", (path, params, pattern) => {
    expect(routePattern(path, params)).toBe(pattern);
  });
});
