// A Faro request as the web SDK sends it (shape from @grafana/faro-core's getTransportBody), for the unit tests.
export const T0 = "2026-11-23T12:00:00.000Z";
export const T0_NS = BigInt(Date.parse(T0)) * 1_000_000n;
export const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

export const META = {
  sdk: { name: "faro-web", version: "2.12.1" },
  app: { name: "console", version: "0.1.0", environment: "production" },
  session: { id: "sess-abc", attributes: { isSampled: "true" } },
  page: { id: "a1b2c3d4e5f60718", url: "http://localhost:3000/services/checkout" },
  view: { name: "/services/[name]" },
  browser: { name: "Chrome", version: "131.0.0.0", os: "Linux", mobile: false, userAgent: "Mozilla/5.0", language: "en-US" },
};

export const PAGE_VIEW = { name: "page_view", domain: "browser", timestamp: at(5000), attributes: { route: "/services/[name]", path: "/services/checkout", duration_ms: "4200", errors: "0", navigation: "load", ended_by: "navigation" } };

export const LCP = {
  type: "web-vitals",
  values: { lcp: 1840.5, delta: 1840.5, element_render_delay: 12, time_to_first_byte: 95 },
  timestamp: at(3000),
  context: { id: "v5-1700000000000-123", rating: "good", navigation_type: "navigate", element: "h1" },
};

export const CLS = { type: "web-vitals", values: { cls: 0.02, delta: 0.02 }, timestamp: at(4000), context: { id: "v5-cls-1", rating: "good" } };

export const EXCEPTION = {
  type: "Error",
  value: "boom",
  timestamp: at(2000),
  stacktrace: { frames: [{ filename: "http://localhost:3000/_next/static/chunks/app.js", function: "onClick", lineno: 10, colno: 20 }] },
};

export const FETCH_TIMING = {
  name: "faro.performance.resource",
  domain: "browser",
  timestamp: at(1000),
  attributes: { name: "http://localhost:3000/api/v1/services?_rsc=abc", initiatorType: "fetch", duration: "120", responseStatus: "200", protocol: "http/1.1", ttfb: "80", transferSize: "1200", cacheHitStatus: "fullLoad", faroResourceId: "res1" },
};

export function faroBody(parts: Record<string, unknown> = {}): Record<string, unknown> {
  return { meta: META, ...parts };
}
