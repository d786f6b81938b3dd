import { describe, expect, it } from "vitest";
import { THRESHOLD_META } from "./threshold-meta";
import {
  DEFAULT_THRESHOLDS, DETECTORS, DetectionThresholdsSchema, explainThresholds, stackThresholdLayers, ThresholdConfigSchema, thresholdsForService, type ThresholdLayer,
} from "./thresholds";

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

  describe("layers: environment and console", () => {
    const env = ThresholdConfigSchema.parse({
      defaults: { saturation: { minBacklog: 100, drainMinutes: 20 }, hysteresis: { resolveAfterNegativeSeconds: 30 } },
      services: { worker: { saturation: { minBacklog: 400 } } },
    });
    const consoleLayer = ThresholdConfigSchema.parse({
      defaults: { saturation: { minBacklog: 150 } },
      services: { api: { saturation: { drainMinutes: 5 } }, worker: { hysteresis: { openAfterPositiveSeconds: 60 } } },
    });
    const layers: ThresholdLayer[] = [{ source: "environment", config: env }, { source: "console", config: consoleLayer }];

    it.each([
      // service, field path, value, source, scope
      [null, "saturation.minBacklog", 150, "console", "all services"],
      [null, "saturation.drainMinutes", 20, "environment", "all services"],
      [null, "saturation.rateWindowMinutes", 3, "built-in", "all services"],
      ["worker", "saturation.minBacklog", 400, "environment", "service"],
      ["worker", "hysteresis.openAfterPositiveSeconds", 60, "console", "service"],
      ["worker", "hysteresis.resolveAfterNegativeSeconds", 30, "environment", "all services"],
      ["api", "saturation.minBacklog", 150, "console", "all services"],
      ["api", "saturation.drainMinutes", 5, "console", "service"],
      ["unknown", "saturation.drainMinutes", 20, "environment", "all services"],
    ] as const)("%s: %s = %s from %s (%s)", (service, path, value, source, scope) => {
      const [detector, field] = path.split(".") as ["saturation", "minBacklog"];
      const explained = explainThresholds(layers, service);
      expect(explained.thresholds[detector][field]).toBe(value);
      expect(explained.origins[detector][field]).toEqual({ source, scope });
    });

    it("the folded config the engine runs with gives every service what the explanation shows (random layers)", () => {
      let seed = 42;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const fields = DETECTORS.flatMap((d) => Object.keys(DEFAULT_THRESHOLDS[d]).map((f) => [d, f] as const));
      const randomOverrides = () => {
        const out: Record<string, Record<string, number>> = {};
        for (const [d, f] of fields) {
          if (rand() >= 0.15) continue;
          const v = (DEFAULT_THRESHOLDS[d] as Record<string, number>)[f]!;
          // Integers grow by whole steps; ratios up to 1 shrink and stay valid; other fractions grow.
          (out[d] ??= {})[f] = Number.isInteger(v) ? v + Math.ceil(rand() * 3) : v <= 1 ? v * (0.5 + rand() / 2) : v * (1 + rand() / 2);
        }
        return out;
      };
      for (let round = 0; round < 200; round++) {
        const randomConfig = () => ThresholdConfigSchema.parse({
          defaults: randomOverrides(),
          services: Object.fromEntries(["a", "b", "c"].filter(() => rand() < 0.5).map((s) => [s, randomOverrides()])),
        });
        const layered: ThresholdLayer[] = [{ source: "environment", config: randomConfig() }, { source: "console", config: randomConfig() }];
        const folded = stackThresholdLayers(layered);
        for (const service of ["a", "b", "c", "d"]) expect(thresholdsForService(folded, service)).toEqual(explainThresholds(layered, service).thresholds);
      }
    });
  });

  it("every threshold has a label, a unit and an explanation", () => {
    for (const d of DETECTORS) {
      expect(Object.keys(THRESHOLD_META[d]).sort()).toEqual(Object.keys(DEFAULT_THRESHOLDS[d]).sort());
      for (const meta of Object.values(THRESHOLD_META[d])) expect(meta.label && meta.unit && meta.help.length > 10).toBeTruthy();
    }
  });
});
