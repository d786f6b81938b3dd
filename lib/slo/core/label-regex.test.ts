import { describe, expect, it } from "vitest";
import { compileLabelRegex, labelRegexMatches, MAX_MATCHER_PATTERN_LENGTH } from "./label-regex";

describe("labelRegexMatches: RE2 with Prometheus semantics", () => {
  it.each([
    // Anchored at both ends, like PromQL's {code=~"5.."}.
    ["foo", "foo", true],
    ["foo", "foobar", false],
    ["foo", "xfoo", false],
    [".*foo.*", "xfoox", true],
    ["5..", "503", true],
    ["5..", "5030", false],
    // Alternation is anchored as a whole: ^(?:GET|POST)$, not ^GET|POST$.
    ["GET|POST", "POST", true],
    ["GET|POST", "GETPOST", false],
    ["GET|POST", "xPOST", false],
    // Character classes: ranges, Perl, POSIX and Unicode classes, as Go's regexp has them.
    ["[0-9a-f-]+", "0a-f9", true],
    ["[0-9a-f-]+", "0A", false],
    ["\\d{3}", "503", true],
    ["[[:alpha:]]+", "abc", true],
    ["\\p{Greek}+", "αβγ", true],
    ["(?i)get", "GET", true],
    // `.` matches a newline, as Prometheus wraps matchers in (?s:…).
    ["a.b", "a\nb", true],
    [".*", "line 1\nline 2", true],
    ["", "", true],
    ["", "x", false],
  ])("%j on %j → %s", (pattern, value, expected) => {
    expect(labelRegexMatches(pattern, value)).toBe(expected);
  });
});

describe("compileLabelRegex", () => {
  it.each([
    ["backreference", "(a)\\1", "invalid escape sequence"],
    ["lookahead", "(?=a)a", "invalid or unsupported Perl syntax"],
    ["negative lookahead", "(?!x).*", "invalid or unsupported Perl syntax"],
    ["lookbehind", "(?<=a)b", "not a valid RE2 regular expression"],
    ["possessive quantifier", "a++", "invalid nested repetition operator"],
    ["repeat over 1000", "a{1001}", "invalid repeat count"],
    // Closing the anchoring group from inside would turn ^(?s:a)|(b)$ into an unanchored match.
    ["group escape", "a)|(b", "unexpected )"],
    ["unclosed class", "[a-", "missing closing ]"],
    ["too long", "a".repeat(MAX_MATCHER_PATTERN_LENGTH + 1), `at most ${MAX_MATCHER_PATTERN_LENGTH}`],
    ["too complex", ".{1000}".repeat(6), "too complex"],
  ])("refuses a %s", (_label, pattern, reason) => {
    const compiled = compileLabelRegex(pattern);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.reason).toContain(reason);
  });

  it("accepts a pattern of the maximum length", () => {
    expect(compileLabelRegex("a".repeat(MAX_MATCHER_PATTERN_LENGTH)).ok).toBe(true);
  });

  it("compiles each pattern once", () => {
    const first = compileLabelRegex("[0-9]+-once");
    expect(compileLabelRegex("[0-9]+-once")).toBe(first);
  });

  // ([0-9a-f-]+)+x backtracks exponentially in a backtracking engine (2^40 ways to split a 40-character id);
  // RE2 runs one pass over the value, so these rows finish, and the results are the regex's true answers.
  it.each([
    ["40-character job id", "0123456789abcdef-0123456789abcdef-012345", false],
    ["40-character job id ending in x", "0123456789abcdef-0123456789abcdef-01234x", true],
    ["100 KB value", "a".repeat(100_000), false],
    ["100 KB value ending in x", `${"0f-".repeat(33_333)}x`, true],
    ["100 KB value with a newline", `${"a".repeat(50_000)}\n${"b".repeat(50_000)}x`, false],
  ])("matches the catastrophic pattern against a %s", (_label, value, expected) => {
    expect(labelRegexMatches("([0-9a-f-]+)+x", value)).toBe(expected);
  });
});
