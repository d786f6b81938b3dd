import { describe, expect, it } from "vitest";
import { pgIntArray, pgJson, pgText } from "./pg-values";

describe("values for PostgreSQL parameters", () => {
  it.each([
    ["plain", "plain"],
    ["a\u0000b", "a\ufffdb"],
    [null, null],
  ])("text %j → %j", (input, output) => {
    expect(pgText(input)).toBe(output);
  });

  it("writes JSON jsonb accepts: no NUL, no lone surrogates, bigints as strings, __proto__ kept as a key", () => {
    expect(pgJson({ a: 1, t: 5n })).toBe('{"a":1,"t":"5"}');
    expect(JSON.parse(pgJson({ k: "x\u0000y", lone: "\ud800!", pair: "😀", tab: "\t" }))).toEqual({ k: "x\ufffdy", lone: "\ufffd!", pair: "😀", tab: "\t" });
    expect(pgJson(JSON.parse('{"__proto__":{"x":"\\u0000"}}'))).toBe('{"__proto__":{"x":"\ufffd"}}');
  });

  it("writes integer array literals", () => {
    expect(pgIntArray([1, 0, 3])).toBe("{1,0,3}");
  });
});
