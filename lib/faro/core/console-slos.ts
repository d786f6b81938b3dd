// The console's built-in SLOs over its own Faro telemetry: p75 LCP under 2.5 s and 99 % error-free page views.
import type { SloDefinitionInput } from "../../slo/core/definition";
import { CONSOLE_APP_NAME } from "./console-app";
import { webVitalSpanName } from "./web-vitals";

export const CONSOLE_LCP_SLO = "console-lcp";
export const CONSOLE_ERROR_FREE_SLO = "console-error-free-page-views";
export const CONSOLE_SLO_NAMES: readonly string[] = [CONSOLE_LCP_SLO, CONSOLE_ERROR_FREE_SLO];

// The console is used now and then: hours without page views are normal, not an outage to page about.
const alertPolicy = { noDataMinutes: null };
const labels = { "tailguard.dev/built-in": CONSOLE_APP_NAME };

export function consoleSloDefinitions(): SloDefinitionInput[] {
  return [
    {
      name: CONSOLE_LCP_SLO,
      displayName: "Console LCP p75 < 2.5 s",
      service: CONSOLE_APP_NAME,
      // "75 % of LCPs ≤ 2.5 s" is "p75 ≤ 2.5 s": the latency SLI counts each reported LCP once.
      description: "At least 75 % of the console's page loads show their largest content within 2.5 s (Largest Contentful Paint, as the browser reports it through Faro): p75 LCP at most 2.5 s, the Core Web Vitals 'good' line.",
      labels,
      sli: { kind: "latency", selector: { service: CONSOLE_APP_NAME, spanName: webVitalSpanName("lcp") }, thresholdMs: 2500 },
      objectivePercent: "75",
      window: { type: "rolling", durationDays: 28 },
      alertPolicy,
    },
    {
      name: CONSOLE_ERROR_FREE_SLO,
      displayName: "Console error-free page views ≥ 99 %",
      service: CONSOLE_APP_NAME,
      description: "At least 99 % of the console's page views end without an uncaught JavaScript error (each page view is reported when it ends, with the errors seen during it).",
      labels,
      sli: { kind: "availability", selector: { service: CONSOLE_APP_NAME, attributes: [{ key: "faro.kind", op: "=", value: "page_view" }] }, treat5xxAsError: false },
      objectivePercent: "99",
      window: { type: "rolling", durationDays: 28 },
      alertPolicy,
    },
  ];
}
