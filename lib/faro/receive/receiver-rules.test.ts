import { describe, expect, it } from "vitest";
import { decideOrigin } from "../core/origin";
import { RequestRateLimit } from "../core/rate-limit";
import { oneObservationBuckets } from "../core/to-metrics";
import { ratingOf, webVitalOf } from "../core/web-vitals";

describe("decideOrigin", () => {
  const allowed = ["https://app.example.com"];
  it.each([
    [{ origin: "http://localhost:3000", host: "localhost:3000", secFetchSite: "same-origin" }, { kind: "same-origin" }],
    [{ origin: "https://app.example.com", host: "tailguard:3000", secFetchSite: "cross-site" }, { kind: "allowed", origin: "https://app.example.com" }],
    [{ origin: "https://evil.example", host: "tailguard:3000", secFetchSite: "cross-site" }, { kind: "refused", reason: "pages of https://evil.example may not send here; list the origin in TAILGUARD_FARO_ALLOWED_ORIGINS" }],
    [{ origin: "null", host: "tailguard:3000", secFetchSite: null }, { kind: "refused", reason: "Origin null is not a URL" }],
    [{ origin: null, host: "tailguard:3000", secFetchSite: "cross-site" }, { kind: "refused", reason: "cross-site request without an Origin header" }],
    [{ origin: null, host: "tailguard:3000", secFetchSite: null }, { kind: "no-origin" }],
  ])("%j → %j", (req, decision) => {
    expect(decideOrigin(req, allowed)).toEqual(decision);
  });
});

describe("RequestRateLimit", () => {
  it("lets a burst of twice the rate through, then refills at the rate", () => {
    const limit = new RequestRateLimit(2, undefined, 0);
    const taken = Array.from({ length: 5 }, () => limit.take(0).ok);
    expect(taken).toEqual([true, true, true, true, false]);
    expect(limit.take(0)).toEqual({ ok: false, retryAfterS: 1 });
    expect(limit.take(500).ok).toBe(true);
    expect(limit.take(500).ok).toBe(false);
  });

  it("says how long until a token is back at low rates", () => {
    const limit = new RequestRateLimit(0.1, 1, 0);
    expect(limit.take(0).ok).toBe(true);
    expect(limit.take(1000)).toEqual({ ok: false, retryAfterS: 9 });
  });
});

describe("web vitals", () => {
  it.each([
    ["lcp", 2500, "good"],
    ["lcp", 2501, "needs-improvement"],
    ["lcp", 4001, "poor"],
    ["cls", 0.1, "good"],
    ["inp", 600, "poor"],
  ] as const)("%s %d is %s", (name, value, rating) => {
    expect(ratingOf(name, value)).toBe(rating);
  });

  it("reads the vital from the values, trusting the SDK's rating when it sent one", () => {
    expect(webVitalOf({ lcp: 3000, delta: 3000 })).toEqual({ name: "lcp", value: 3000, rating: "needs-improvement" });
    expect(webVitalOf({ ttfb: 90, delta: 90 }, { rating: "good" })).toEqual({ name: "ttfb", value: 90, rating: "good" });
    expect(webVitalOf({ delta: 3 })).toBeNull();
  });

  it.each([
    [1, 0],
    [2500, 4],
    [2500.1, 5],
    [99_999, 10],
  ])("an LCP of %d ms lands in bucket %d", (value, bucket) => {
    expect(oneObservationBuckets([500, 1000, 1500, 2000, 2500, 3000, 4000, 6000, 10000, 20000], value).indexOf(1)).toBe(bucket);
  });
});
