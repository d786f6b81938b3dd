import { describe, expect, it } from "vitest";
import { type CacheWindow, detectCacheStampede } from "./cache-stampede";
import { DEFAULT_THRESHOLDS } from "./thresholds";

const END = 1_795_176_600;
/** 10-second windows, oldest first, the last ending at END: [lookups, hit ratio, published] per window (null: no data). */
const windows = (specs: ([number, number, number] | null)[]): CacheWindow[] =>
  specs.map((spec, i) => ({
    endUnix: END - (specs.length - 1 - i) * 10, seconds: 10,
    lookups: spec ? spec[0] : null, hits: spec ? Math.round(spec[0] * spec[1]) : null, backendLoad: spec ? spec[2] : null,
  }));
const repeat = <T,>(n: number, x: T): T[] => Array.from({ length: n }, () => x);
const healthy: [number, number, number] = [300, 0.8, 60];
const detect = (specs: ([number, number, number] | null)[], hasBackend = true) =>
  detectCacheStampede({ resource: "cache of api", windows: windows(specs), hasBackend, thresholds: DEFAULT_THRESHOLDS.cacheStampede });

describe("detectCacheStampede", () => {
  it.each([
    { note: "steady 80 % hits with noise", specs: Array.from({ length: 66 }, (_, i): [number, number, number] => [290 + (i % 5) * 5, 0.77 + (i % 7) * 0.01, 55 + (i % 3) * 5]), want: null },
    { note: "a cold cache warming up", specs: Array.from({ length: 66 }, (_, i): [number, number, number] => [300, Math.min(0.8, i / 60), Math.round(300 * (1 - Math.min(0.8, i / 60)))]), want: null },
    { note: "too quiet to judge (the newest minute holds fewer lookups than needed)", specs: [...repeat(60, [5, 0.8, 1] as [number, number, number]), ...repeat(6, [5, 0.1, 5] as [number, number, number])], want: null },
    { note: "hit ratio falls but the backend load does not rise (misses served elsewhere)", specs: [...repeat(64, healthy), ...repeat(2, [300, 0.4, 60] as [number, number, number])], want: null },
    { note: "missing baseline", specs: [...repeat(64, null), [300, 0.1, 270], [300, 0.1, 270]], want: null },
    { note: "one bucket of a collapse after a gap of no data", specs: [...repeat(60, healthy), ...repeat(5, null), [300, 0.3, 210]], want: { newestWindowSeconds: 10 } },
    { note: "hit ratio collapses and the backend gets 3× the work", specs: [...repeat(65, healthy), [300, 0.35, 195]], want: { severity: "critical", reasonCodes: ["hit_ratio_drop", "backend_surge"], newestWindowSeconds: 10 } },
    { note: "a quieter cache is judged over more buckets", specs: [...repeat(60, [20, 0.8, 4] as [number, number, number]), ...repeat(6, [20, 0.2, 16] as [number, number, number])], want: { severity: "critical", newestWindowSeconds: 30 } },
  ])("$note", ({ specs, want }) => {
    const got = detect(specs as ([number, number, number] | null)[]);
    if (want === null) return expect(got).toBeNull();
    const { newestWindowSeconds, ...rest } = want as { newestWindowSeconds?: number };
    expect(got).toMatchObject({ kind: "cache_stampede", resource: "cache of api", ...rest });
    if (newestWindowSeconds !== undefined) expect(got?.evidence.figures.newestWindowSeconds).toBe(newestWindowSeconds);
  });

  it("without a backend the collapse alone is a warning", () => {
    expect(detect([...repeat(65, healthy), [300, 0.3, 0]], false)).toMatchObject({ severity: "warning", reasonCodes: ["hit_ratio_drop"] });
  });

  it("keeps the fault's first buckets out of the baseline", () => {
    // Three bad buckets: the newest is judged against a baseline that ended before the first of them.
    const got = detect([...repeat(63, healthy), ...repeat(3, [300, 0.5, 150] as [number, number, number])]);
    expect(got?.evidence.figures.hitRatioBaseline).toBeCloseTo(0.8, 2);
  });

  it("judges a stampede two minutes after a cold start against the warm level, not the warm-up", () => {
    // 20 s cold (0.3, then 0.6, with the misses published), then 80 s warm, then a collapse to 0.55.
    const got = detect([...repeat(54, null), [300, 0.3, 210], [300, 0.6, 120], ...repeat(8, healthy), [300, 0.55, 135], [300, 0.55, 135]]);
    expect(got).toMatchObject({ severity: "critical", evidence: { figures: { hitRatioBaseline: 0.8, backendLoadBaselinePerMinute: 360 } } });
  });

  it("judges calendar minutes of counters too (the newest one partial)", () => {
    const minutes: CacheWindow[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ endUnix: END - 40 - (10 - i) * 60, seconds: 60, lookups: 1800, hits: 1440, backendLoad: 360 })),
      { endUnix: END, seconds: 40, lookups: 1200, hits: 420, backendLoad: 780 },
    ];
    expect(detectCacheStampede({ resource: "cache of api", windows: minutes, hasBackend: true, thresholds: DEFAULT_THRESHOLDS.cacheStampede })).toMatchObject({
      severity: "critical", evidence: { figures: { newestWindowSeconds: 40, lookupsPerMinute: 1800, backendLoadPerMinute: 1170 } },
    });
  });
});
