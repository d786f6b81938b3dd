import { describe, expect, it } from "vitest";
import { resolveSpanLimits, truncateAttributeValue } from "./span-limits";
import type { AttributeValue } from "./types";

describe("truncateAttributeValue", () => {
  it.each<[string, AttributeValue, number, AttributeValue]>([
    ["a short string stays", "abc", 3, "abc"],
    ["a long string is cut to the limit", "abcdef", 3, "abc"],
    // "a𝄞" is 3 UTF-16 code units; cutting at 2 would leave half a surrogate pair, so 1 is kept.
    ["a surrogate pair is never split", "a𝄞b", 2, "a"],
    ["a pair that fits stays whole", "a𝄞b", 3, "a𝄞"],
    ["numbers, booleans and null are never cut", 12345678, 2, 12345678],
    ["strings inside arrays are cut", ["abcd", 1, ["efgh"]], 2, ["ab", 1, ["ef"]]],
    ["strings inside maps are cut", { k: "abcd", n: { m: "efgh" } }, 2, { k: "ab", n: { m: "ef" } }],
  ])("%s", (_case, value, limit, expected) => {
    expect(truncateAttributeValue(value, limit)).toEqual(expected);
  });

  it("returns the same reference when nothing was cut, a new one otherwise", () => {
    const whole = { a: ["x", "y"], b: 1 };
    expect(truncateAttributeValue(whole, 5)).toBe(whole);
    const cut = truncateAttributeValue(whole, 0);
    expect([cut === whole, whole.a[0]]).toEqual([false, "x"]);
  });

  it("keeps a `__proto__` key of a map as data", () => {
    const value = JSON.parse('{"__proto__":"abcdef","b":"c"}') as { [key: string]: AttributeValue };
    expect(JSON.stringify(truncateAttributeValue(value, 2))).toBe('{"__proto__":"ab","b":"c"}');
  });
});

describe("resolveSpanLimits", () => {
  it("defaults to the SDK's 128 counts and 16,384 characters; per-event, per-link and resource counts follow attributes", () => {
    expect(resolveSpanLimits({})).toEqual({
      attributeValueLengthLimit: 16_384, attributeCountLimit: 128, resourceAttributeCountLimit: 128, eventCountLimit: 128, linkCountLimit: 128,
      attributePerEventCountLimit: 128, attributePerLinkCountLimit: 128,
    });
    expect(resolveSpanLimits({ attributeCountLimit: 8, eventCountLimit: 2 })).toMatchObject({ attributeCountLimit: 8, resourceAttributeCountLimit: 8, attributePerEventCountLimit: 8, attributePerLinkCountLimit: 8, eventCountLimit: 2, linkCountLimit: 128 });
  });
});
