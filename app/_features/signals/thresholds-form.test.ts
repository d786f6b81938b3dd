import { describe, expect, it } from "vitest";
import { fieldErrorsFromApi, FIELD_KEYS, formToOverrides, overridesToForm, thresholdValueLabel } from "./thresholds-form";

describe("threshold editor form", () => {
  it("has a box for every threshold, blank when inherited", () => {
    const values = overridesToForm({ saturation: { minBacklog: 200 } });
    expect(Object.keys(values)).toEqual(FIELD_KEYS);
    expect(values["saturation.minBacklog"]).toBe("200");
    expect(values["hysteresis.openAfterPositiveSeconds"]).toBe("");
  });

  it("round-trips overrides, dropping blanks", () => {
    const overrides = { saturation: { minBacklog: 200, targetUtilisation: 0.7 }, hysteresis: { openAfterPositiveSeconds: 45 } };
    expect(formToOverrides(overridesToForm(overrides))).toEqual({ ok: true, overrides });
    expect(formToOverrides(overridesToForm({}))).toEqual({ ok: true, overrides: {} });
  });

  it.each([
    ["saturation.minBacklog", "many", "must be a number"],
    ["saturation.targetUtilisation", "1.5", "must be at most 1"],
    ["hysteresis.openAfterPositiveSeconds", "0", "must be more than 0"],
    ["saturation.rateWindowMinutes", "2.5", "must be a whole number"],
    ["retryStorm.minAmplification", "0.5", "must be at least 1"],
  ])("%s = %s is refused beside its box (%s)", (key, text, expected) => {
    const r = formToOverrides({ ...overridesToForm({}), [key]: text });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors)).toEqual([key]);
      expect(r.errors[key]).toContain(expected);
    }
  });

  it("places the API's messages beside their boxes and ignores what it cannot place", () => {
    const details = [
      { path: "overrides.saturation.minBacklog", message: "must be at least 0" },
      { path: "overrides.hysteresis", message: "no such threshold: x" },
      { field: "saturation.minBacklog", message: "not a request field" },
    ];
    expect(fieldErrorsFromApi(details)).toEqual({
      "saturation.minBacklog": "must be at least 0",
    });
  });

  it.each([
    [0.95, "ratio", "0.95 (95 %)"],
    [1.2, "×", "1.2×"],
    [100, "ms", "100 ms"],
  ])("shows %s %s as %s", (value, unit, label) => {
    expect(thresholdValueLabel(value, unit)).toBe(label);
  });
});
