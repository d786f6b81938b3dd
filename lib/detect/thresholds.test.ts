import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, DetectionThresholdsSchema, ThresholdConfigSchema, thresholdsForService } from "./thresholds";

describe("thresholds", () => {
  it("defaults pass their own schema", () => {
    expect(DetectionThresholdsSchema.parse(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
  });

  it("an empty config gives the defaults for any service", () => {
    expect(thresholdsForService(ThresholdConfigSchema.parse({}), "api")).toEqual(DEFAULT_THRESHOLDS);
  });

  it.each([
    { service: "worker", minBacklog: 500, openAfter: 90, note: "service override wins over global" },
    { service: "api", minBacklog: 200, openAfter: 90, note: "global override only" },
  ])("$note", ({ service, minBacklog, openAfter }) => {
    const config = ThresholdConfigSchema.parse({
      defaults: { saturation: { minBacklog: 200 }, hysteresis: { openAfterPositiveSeconds: 90 } },
      services: { worker: { saturation: { minBacklog: 500 } } },
    });
    const t = thresholdsForService(config, service);
    expect(t.saturation.minBacklog).toBe(minBacklog);
    expect(t.hysteresis.openAfterPositiveSeconds).toBe(openAfter);
    expect(t.saturation.rateWindowMinutes).toBe(DEFAULT_THRESHOLDS.saturation.rateWindowMinutes);
    expect(t.retryStorm).toEqual(DEFAULT_THRESHOLDS.retryStorm);
  });

  it.each([
    { overrides: { saturation: { targetUtilisation: 1.5 } }, note: "utilisation above 1" },
    { overrides: { saturation: { minBacklg: 5 } }, note: "misspelt key" },
    { overrides: { hysteresis: { openAfterPositiveSeconds: 0 } }, note: "zero seconds" },
  ])("rejects $note", ({ overrides }) => {
    expect(ThresholdConfigSchema.safeParse({ defaults: overrides }).success).toBe(false);
  });
});
