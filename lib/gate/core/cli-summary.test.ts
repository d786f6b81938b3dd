import { describe, expect, it } from "vitest";
import { gateExitCode, gateLines, gateMarkdown } from "./cli-summary";
import type { GateResult } from "../store/evaluate";

const result: GateResult = {
  evaluationId: "e1",
  decision: "fail",
  reasons: [{ code: "page_alert_firing", level: "fail", message: 'Page alert "a|b" is firing on SLO "api".', subject: { type: "alert", name: "api/burnRate:page" } }],
  evaluatedAt: "2026-11-23T10:00:00.000Z",
  services: ["api"],
  version: "1.4.2",
  policy: "default",
  replayed: false,
};

describe("gate CLI output", () => {
  it.each([
    ["pass", false, 0],
    ["warn", false, 0],
    ["warn", true, 1],
    ["fail", false, 1],
    ["inconclusive", false, 2],
  ] as const)("%s (strict %s) exits %i", (decision, strict, code) => expect(gateExitCode(decision, { strict })).toBe(code));

  it("prints the decision and every reason", () => {
    expect(gateLines(result)).toEqual(["release gate: FAIL for api 1.4.2 (policy default, evaluation e1)", '  [fail] Page alert "a|b" is firing on SLO "api".']);
  });

  it("writes a markdown table with escaped pipes", () => {
    const md = gateMarkdown(result);
    expect(md).toContain("| ❌ fail | api/burnRate:page | Page alert \"a\\|b\" is firing on SLO \"api\". |");
  });
});
