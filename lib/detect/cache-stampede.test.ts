import { describe, expect, it } from "vitest";
import { detectCacheStampede } from "./cache-stampede";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { NamedSeries } from "./types";

const T0 = 1_795_176_000;
const NOW = new Date((T0 + 12 * 60) * 1000); // minutes T0 … T0+11 have ended
const series = (name: string, values: (number | null)[]): NamedSeries => ({ name, points: values.map((value, i) => ({ minuteUnix: T0 + i * 60, value })) });
const flat = (v: number | null, n = 11) => new Array<number | null>(n).fill(v);
const detect = (hit: (number | null)[], lookups: (number | null)[], load?: (number | null)[]) =>
  detectCacheStampede({
    resource: "cache of api", hitRatio: series("hit ratio", hit), lookups: series("lookups", lookups), backendLoad: load ? series("published", load) : undefined,
    now: NOW, thresholds: DEFAULT_THRESHOLDS.cacheStampede,
  });

describe("detectCacheStampede", () => {
  it.each([
    { note: "steady 80 % hits with noise", hit: [0.78, 0.82, 0.8, 0.79, 0.81, 0.8, 0.83, 0.78, 0.8, 0.81, 0.77, 0.79], lookups: flat(1800, 12), load: flat(360, 12), want: null },
    { note: "a cold cache warming up", hit: [0, 0.2, 0.4, 0.55, 0.65, 0.7, 0.75, 0.78, 0.8, 0.8, 0.8, 0.81], lookups: flat(1800, 12), load: [1800, 1440, 1080, 810, 630, 540, 450, 396, 360, 360, 360, 342], want: null },
    { note: "too quiet to judge", hit: [...flat(0.8), 0.1], lookups: [...flat(20), 20], load: [...flat(4), 18], want: null },
    { note: "hit ratio falls but the backend load does not rise (misses served elsewhere)", hit: [...flat(0.8), 0.4], lookups: flat(1800, 12), load: flat(360, 12), want: null },
    { note: "missing baseline", hit: [...flat(null), 0.1], lookups: flat(1800, 12), load: flat(360, 12), want: null },
    { note: "hit ratio collapses and the backend gets 3× the work", hit: [...flat(0.8), 0.35], lookups: flat(1800, 12), load: [...flat(360), 1170], want: { severity: "critical", reasonCodes: ["hit_ratio_drop", "backend_surge"] } },
    { note: "without a backend series the collapse alone is a warning", hit: [...flat(0.8), 0.3], lookups: flat(1800, 12), load: undefined, want: { severity: "warning", reasonCodes: ["hit_ratio_drop"] } },
  ])("$note", ({ hit, lookups, load, want }) => {
    const got = detect(hit, lookups, load);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatchObject({ kind: "cache_stampede", resource: "cache of api", ...want });
  });
});
