import { describe, expect, it } from "vitest";
import { formatDiff, hasChanges } from "./format-diff";

describe("formatDiff", () => {
  const diff = { creates: ["api-availability"], updates: [{ name: "job-completion", changedFields: ["objectivePercent", "sli.thresholdMs"] }], unchanged: ["queue-wait"], deletes: ["old-slo"] };

  it("lists creates, updates with fields, and deletes only when pruning", () => {
    expect(formatDiff(diff, { prune: false })).toEqual([
      "+ create api-availability",
      "~ update job-completion (objectivePercent, sli.thresholdMs)",
      "  keep   old-slo (not in the files; --prune would delete it)",
      "2 change(s), 1 unchanged",
    ]);
    expect(formatDiff(diff, { prune: true })).toContain("- delete old-slo");
    expect(formatDiff(diff, { prune: true }).at(-1)).toBe("3 change(s), 1 unchanged");
  });

  it("says when there is nothing to do", () => {
    const none = { creates: [], updates: [], unchanged: ["a", "b"], deletes: ["c"] };
    expect(formatDiff(none, { prune: false }).at(-1)).toBe("no changes (2 SLO(s) up to date)");
    expect(hasChanges(none, { prune: false })).toBe(false);
    expect(hasChanges(none, { prune: true })).toBe(true);
  });
});
