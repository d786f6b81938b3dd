import { describe, expect, it } from "vitest";
import {
  errorBudgetRatio,
  formatErrorBudgetPercent,
  formatErrorBudgetRatio,
  formatObjectivePercent,
  formatObjectiveRatio,
  objectiveRatio,
  parseObjectivePercent,
  parseObjectiveRatio,
} from "./objective";

function parsed(input: string | number) {
  const result = parseObjectivePercent(input);
  if (!result.ok) throw new Error(result.reason);
  return result.objective;
}

describe("parseObjectivePercent", () => {
  it.each([
    // input, percentE6, shown, ratio text, budget %, budget ratio text, budget ratio number
    [99.9, 99_900_000, "99.9", "0.999", "0.1", "0.001", 0.001],
    ["99.9", 99_900_000, "99.9", "0.999", "0.1", "0.001", 0.001],
    ["99.90", 99_900_000, "99.9", "0.999", "0.1", "0.001", 0.001],
    [99, 99_000_000, "99", "0.99", "1", "0.01", 0.01],
    [99.99, 99_990_000, "99.99", "0.9999", "0.01", "0.0001", 0.0001],
    [99.95, 99_950_000, "99.95", "0.9995", "0.05", "0.0005", 0.0005],
    ["99.999999", 99_999_999, "99.999999", "0.99999999", "0.000001", "0.00000001", 0.00000001],
    [50, 50_000_000, "50", "0.5", "50", "0.5", 0.5],
    [0.000001, 1, "0.000001", "0.00000001", "99.999999", "0.99999999", 0.99999999],
  ] as const)("%s → %s", (input, percentE6, shown, ratioText, budgetPercent, budgetRatioText, budgetRatio) => {
    const objective = parsed(input);
    expect(objective.percentE6).toBe(percentE6);
    expect(formatObjectivePercent(objective)).toBe(shown);
    expect(formatObjectiveRatio(objective)).toBe(ratioText);
    expect(formatErrorBudgetPercent(objective)).toBe(budgetPercent);
    expect(formatErrorBudgetRatio(objective)).toBe(budgetRatioText);
    expect(errorBudgetRatio(objective)).toBe(budgetRatio);
  });

  it("keeps 99.9 exact where float arithmetic does not", () => {
    expect(1 - 0.999).not.toBe(0.001);
    expect(errorBudgetRatio(parsed(99.9))).toBe(0.001);
    expect(objectiveRatio(parsed("99.9"))).toBe(0.999);
    expect(String(objectiveRatio(parsed(99.9)))).toBe("0.999");
  });

  it.each([
    ["100", "less than 100"],
    [100, "less than 100"],
    ["0", "greater than 0"],
    [-1, "finite decimal"],
    ["abc", "decimal number"],
    ["99.9%", "decimal number"],
    ["99.1234567", "at most 6 decimal"],
    [99.9 + 1e-12, "at most 6 decimal"],
    [Number.NaN, "finite decimal"],
    [Number.POSITIVE_INFINITY, "finite decimal"],
    ["", "decimal number"],
  ] as const)("rejects %s", (input, reason) => {
    const result = parseObjectivePercent(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe("parseObjectiveRatio", () => {
  it.each([
    [0.999, "99.9"],
    ["0.9995", "99.95"],
    [0.99999999, "99.999999"],
    [1e-8, "0.000001"],
  ] as const)("%s → %s %%", (input, shown) => {
    const result = parseObjectiveRatio(input);
    expect(result.ok && formatObjectivePercent(result.objective)).toBe(shown);
  });

  it.each([[1], [0], [0.999999999], [1.5]] as const)("rejects %s", (input) => {
    expect(parseObjectiveRatio(input).ok).toBe(false);
  });
});

describe("round trip (seeded)", () => {
  it("format(parse(x)) is the canonical text of x for 2,000 random objectives", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const percentE6 = 1 + Math.floor(random() * (100_000_000 - 2));
      const text = formatObjectivePercent({ percentE6 });
      const viaNumber = parsed(Number(text));
      const viaText = parsed(text);
      expect(viaNumber.percentE6).toBe(percentE6);
      expect(viaText.percentE6).toBe(percentE6);
      const ratio = parseObjectiveRatio(formatObjectiveRatio(viaText));
      expect(ratio.ok && ratio.objective.percentE6).toBe(percentE6);
    }
  });
});
