import { describe, expect, it } from "vitest";
import { canaryRows, gateExitCode, gateLines, gateMarkdown } from "./cli-summary";
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

  describe("with a canary comparison", () => {
    const side = { p50Ms: null, p95Ms: null, p99Ms: null, capped: false };
    const canary: GateResult = {
      ...result,
      version: "1.5.0",
      canary: { candidateVersion: "1.5.0", baselineVersion: "1.4.2", from: "2026-11-23T09:40:00.000Z", to: "2026-11-23T10:00:00.000Z" },
      comparisons: [
        // 40/400 = 10 %, 4/400 = 1 %.
        { slo: "api|avail", sli: "availability", candidate: { ...side, events: 400, badEvents: 40, ratio: 0.1 }, baseline: { ...side, events: 400, badEvents: 4, ratio: 0.01 }, pValue: 0.0000012, test: "z", verdict: "worse" },
        { slo: "api-latency", sli: "latency", candidate: { ...side, events: 1200, badEvents: 3, ratio: 0.0025, p95Ms: 412.4, capped: true }, baseline: { ...side, events: 1100, badEvents: 2, ratio: 0.0018, p95Ms: 3.456 }, pValue: 0.31, test: "mann_whitney_u", verdict: "not_worse" },
        { slo: "api-jobs", sli: "jobCompletion", candidate: { ...side, events: 0, badEvents: 0, ratio: null }, baseline: { ...side, events: 20, badEvents: 0, ratio: 0 }, pValue: 1, test: "fisher", verdict: "insufficient_data" },
      ],
    };

    it("shows each SLO's judged figure for both versions, the p-value and the verdict", () => {
      expect(canaryRows(canary)).toEqual([
        ["api|avail", "availability", "10% (40 of 400)", "1% (4 of 400)", "< 0.0001", "worse"],
        ["api-latency", "latency", "p95 412 ms of 1,200 (capped)", "p95 3.46 ms of 1,100", "0.31", "not worse"],
        ["api-jobs", "jobCompletion", "no events", "0% (0 of 20)", "1", "too little data"],
      ]);
    });

    it("prints the comparison table after the reasons", () => {
      const lines = gateLines(canary);
      expect(lines[2]).toBe("  canary 1.5.0 against 1.4.2 from 2026-11-23T09:40:00.000Z to 2026-11-23T10:00:00.000Z:");
      // Columns line up: each starts where its header does.
      expect(lines[3]!.trim().split(/\s{2,}/)).toEqual(["SLO", "SLI", "candidate", "baseline", "p", "verdict"]);
      expect(lines[4]!.indexOf("10% (40 of 400)")).toBe(lines[3]!.indexOf("candidate"));
      expect(lines[5]!.indexOf("0.31")).toBe(lines[3]!.indexOf(" p ") + 1);
      expect(lines).toHaveLength(7);
    });

    it("writes the comparisons as a Markdown table in the step summary, pipes escaped", () => {
      const md = gateMarkdown(canary);
      expect(md).toContain("| SLO | SLI | candidate | baseline | p | verdict |\n|---|---|---|---|---|---|");
      expect(md).toContain("| api\\|avail | availability | 10% (40 of 400) | 1% (4 of 400) | < 0.0001 | ❌ worse |");
      expect(md).toContain("| api-jobs | jobCompletion | no events | 0% (0 of 20) | 1 | ❔ too little data |");
    });

    it("says when nothing was compared", () => {
      const none: GateResult = { ...canary, canary: { ...canary.canary!, baselineVersion: null, from: null, to: null }, comparisons: [] };
      expect(gateLines(none).at(-1)).toBe("  canary 1.5.0 against no baseline: nothing compared");
      expect(gateMarkdown(none)).toContain("**canary 1.5.0 against no baseline**: nothing compared");
    });
  });
});
