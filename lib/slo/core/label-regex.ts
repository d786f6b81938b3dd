/** Regex label matchers (`=~`, `!~`) as Prometheus runs them: RE2, fully anchored, `.` matching newlines, linear in the value. */
import { RE2JS } from "re2js";

export const MAX_MATCHER_PATTERN_LENGTH = 1024;
// RE2 time is linear in the value times the program size; this keeps a long value cheap to match (`.{1000}` is ~1,000).
export const MAX_MATCHER_PROGRAM_SIZE = 5_000;
// Patterns come from stored SLOs, so a few hundred covers every matcher; the bound only stops a flood of validations growing it.
const CACHE_LIMIT = 256;

export type LabelRegex = { matches(value: string): boolean };
export type LabelRegexResult = { ok: true; regex: LabelRegex } | { ok: false; reason: string };

const cache = new Map<string, LabelRegexResult>();

/** The compiled matcher for a pattern, compiled once and cached; `reason` says why RE2 refuses it. */
export function compileLabelRegex(pattern: string): LabelRegexResult {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const result = compile(pattern);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, result);
  return result;
}

/** Whether the whole value matches; a pattern RE2 refuses (only possible for rows stored before validation) matches nothing. */
export function labelRegexMatches(pattern: string, value: string): boolean {
  const compiled = compileLabelRegex(pattern);
  return compiled.ok && compiled.regex.matches(value);
}

function compile(pattern: string): LabelRegexResult {
  if (pattern.length > MAX_MATCHER_PATTERN_LENGTH) return { ok: false, reason: `is ${pattern.length} characters; at most ${MAX_MATCHER_PATTERN_LENGTH}` };
  try {
    // Compiled bare first so "a)|(b" cannot pass by closing the anchoring group.
    RE2JS.compile(pattern);
    const regex = RE2JS.compile(`^(?s:${pattern})$`);
    if (regex.programSize() > MAX_MATCHER_PROGRAM_SIZE) return { ok: false, reason: `is too complex (${regex.programSize()} RE2 instructions; at most ${MAX_MATCHER_PROGRAM_SIZE})` };
    return { ok: true, regex: { matches: (value) => regex.testExact(value) } };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    return { ok: false, reason: `is not a valid RE2 regular expression (the syntax Prometheus uses; no backreferences or lookarounds): ${detail}` };
  }
}
