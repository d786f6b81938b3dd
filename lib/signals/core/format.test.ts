import { describe, expect, it } from "vitest";
import { formatCount, formatEta, formatMs, formatPercent, formatRate, formatThresholdAdjective } from "./format";

describe("format", () => {
  it.each([
    [formatCount(4100.4), "4,100"],
    [formatRate(85.2), "85"],
    [formatRate(4.25), "4.3"],
    [formatRate(0.456), "0.46"],
    [formatRate(1200), "1,200"],
    [formatPercent(0.623), "62%"],
    [formatPercent(0.004), "0.4%"],
    [formatPercent(-0.04), "-4%"],
    [formatPercent(0), "0%"],
    [formatThresholdAdjective(300_000), "5-minute"],
    [formatThresholdAdjective(90_000), "1.5-minute"],
    [formatThresholdAdjective(7_200_000), "2-hour"],
    [formatThresholdAdjective(30_000), "30-second"],
    [formatThresholdAdjective(250), "250-ms"],
    [formatEta(370), "~6 min"],
    [formatEta(20), "under a minute"],
    [formatEta(0), "now"],
    [formatEta(3 * 3600), "~3 h"],
    [formatMs(40.2), "40 ms"],
    [formatMs(2500), "2.5 s"],
    [formatMs(273_900), "4.6 min"],
  ])("%s = %s", (got, want) => expect(got).toBe(want));
});
