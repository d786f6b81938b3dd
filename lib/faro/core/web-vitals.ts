// The Core Web Vitals a Faro `web-vitals` measurement carries, with Google's rating thresholds and the
// histogram buckets Tailguard stores them in (bounds include each rating threshold, so p75 reads cleanly).

export type WebVitalName = "lcp" | "fcp" | "ttfb" | "inp" | "fid" | "cls";
export type WebVitalRating = "good" | "needs-improvement" | "poor";

type VitalSpec = { unit: "ms" | "1"; goodMax: number; poorOver: number; bounds: readonly number[] };

export const WEB_VITALS: Readonly<Record<WebVitalName, VitalSpec>> = {
  lcp: { unit: "ms", goodMax: 2500, poorOver: 4000, bounds: [500, 1000, 1500, 2000, 2500, 3000, 4000, 6000, 10000, 20000] },
  fcp: { unit: "ms", goodMax: 1800, poorOver: 3000, bounds: [250, 500, 1000, 1800, 2500, 3000, 4000, 6000, 10000] },
  ttfb: { unit: "ms", goodMax: 800, poorOver: 1800, bounds: [50, 100, 200, 400, 800, 1200, 1800, 3000, 6000] },
  inp: { unit: "ms", goodMax: 200, poorOver: 500, bounds: [50, 100, 200, 300, 500, 1000, 2000, 5000] },
  fid: { unit: "ms", goodMax: 100, poorOver: 300, bounds: [25, 50, 100, 200, 300, 1000, 3000] },
  cls: { unit: "1", goodMax: 0.1, poorOver: 0.25, bounds: [0.01, 0.05, 0.1, 0.15, 0.25, 0.5, 1] },
};

/** The measurement `type` Faro's web-vitals instrumentation uses. */
export const WEB_VITALS_MEASUREMENT = "web-vitals";

export type WebVital = { name: WebVitalName; value: number; rating: WebVitalRating };

export function ratingOf(name: WebVitalName, value: number): WebVitalRating {
  const spec = WEB_VITALS[name];
  return value <= spec.goodMax ? "good" : value > spec.poorOver ? "poor" : "needs-improvement";
}

/** The vital in a web-vitals measurement's values (`{lcp: 1234, delta: 1234, …}`), or null when none is known. */
export function webVitalOf(values: Readonly<Record<string, number>>, context: Readonly<Record<string, string>> = {}): WebVital | null {
  for (const name of Object.keys(WEB_VITALS) as WebVitalName[]) {
    const value = values[name];
    if (value === undefined || value < 0) continue;
    const sent = context.rating;
    const rating = sent === "good" || sent === "needs-improvement" || sent === "poor" ? sent : ratingOf(name, value);
    return { name, value, rating };
  }
  return null;
}

/** Vitals measured in milliseconds from navigation start or an interaction: these also become spans. */
export function isDurationVital(name: WebVitalName): boolean {
  return WEB_VITALS[name].unit === "ms";
}

export const webVitalMetricName = (name: WebVitalName) => `browser.web_vital.${name}`;
export const webVitalSpanName = (name: WebVitalName) => `web_vital ${name}`;
