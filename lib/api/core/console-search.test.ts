import { expect, it } from "vitest";
import { consoleParam, consoleSearch } from "./console-search";

// [segment as Next.js hands it to the page, what the page looks up]
const params: [string, string | null][] = [
  ["checkout", "checkout"],
  ["job%20one", "job one"],
  ["100%25", "100%"],
  ["a%00b", null], // NUL: no text column holds it
  ["%E0%A4%A", null], // malformed escape
  ["%ED%A0%80", null], // a lone surrogate's bytes: not UTF-8
  ["", null],
  ["x".repeat(1_025), null],
];
it.each(params)("consoleParam(%j)", (encoded, expected) => expect(consoleParam(encoded)).toBe(expected));

it("keeps valid search parameters and names each one it drops", () => {
  expect(consoleSearch("/", { service: "checkout", state: "firing", sort: "budget", other: "x" })).toEqual({ values: { service: "checkout", state: "firing", sort: "budget" }, problems: [] });
  const { values, problems } = consoleSearch("/", { service: ["a", "b"], state: "melting", sort: "a\u0000b" });
  expect(values).toEqual({});
  expect(problems.map((p) => p.split(":")[0])).toEqual(["service", "state", "sort"]);
  expect(problems[0]).toBe("service: given more than once");
});
