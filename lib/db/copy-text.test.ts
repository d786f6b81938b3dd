import { describe, expect, it } from "vitest";
import { copyInt, copyIntArray, copyJson, copyText } from "./copy-text";

describe("COPY text cells", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a\tb", "a\\tb"],
    ["line1\nline2", "line1\\nline2"],
    ["cr\r\n", "cr\\r\\n"],
    ["C:\\path\\n", "C:\\\\path\\\\n"],
    ["\\N", "\\\\N"],
    ["\\.", "\\\\."],
    ["a\u0000b\tc", "a\ufffdb\\tc"],
    ["ünïcødé 😀 中文", "ünïcødé 😀 中文"],
    ["\u0001 \u001f \u007f", "\u0001 \u001f \u007f"],
    [null, "\\N"],
  ])("text %j → %j", (input, output) => {
    expect(copyText(input)).toBe(output);
  });

  it("writes integers and bigints as decimal text, null as \\N", () => {
    expect(copyInt(0)).toBe("0");
    expect(copyInt(-42)).toBe("-42");
    expect(copyInt(1_795_176_000_000_000_123n)).toBe("1795176000000000123");
    expect(copyInt(null)).toBe("\\N");
    expect(copyIntArray([1, 0, 3])).toBe("{1,0,3}");
  });

  it("writes jsonb cells with JSON's own escapes doubled and without what jsonb refuses", () => {
    expect(copyJson({ a: "x" })).toBe('{"a":"x"}');
    // JSON writes a tab as \t and a backslash as \\; COPY then doubles each backslash.
    expect(copyJson({ k: "a\tb", p: "C:\\x", q: 'say "hi"' })).toBe('{"k":"a\\\\tb","p":"C:\\\\\\\\x","q":"say \\\\"hi\\\\""}');
    expect(copyJson({ nul: "x\u0000y", lone: "\ud800!", t: 5n })).toBe('{"nul":"x\ufffdy","lone":"\ufffd!","t":"5"}');
    expect(copyJson([])).toBe("[]");
  });
});
