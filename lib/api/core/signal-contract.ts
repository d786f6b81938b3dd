// API operations for saturation and retry-storm signals.
import { z } from "zod";
import { DetectionThresholdsSchema, ThresholdConfigSchema } from "../../signals/core/thresholds";
import { SignalView } from "../../signals/core/signal-view";
import { nonEmptyText, queryNumber, ServiceNameText } from "./fields";
import type { Operation } from "./contract-types";

const Origin = z.object({ source: z.enum(["built-in", "environment", "console"]), scope: z.enum(["all services", "service"]) }).strict();
export const ThresholdsView = z
  .object({
    console: ThresholdConfigSchema.describe("Overrides saved from the console or this API"),
    environment: ThresholdConfigSchema.describe("Overrides from TAILGUARD_DETECTION_THRESHOLDS"),
    updatedAt: z.string().nullable(),
    storedError: z.string().nullable().describe("Why the saved overrides are ignored, when they no longer validate"),
    services: z.array(z.string()).describe("Services with overrides in either layer"),
    effective: z
      .object({ service: z.string().nullable(), thresholds: DetectionThresholdsSchema, origins: z.record(z.string(), z.record(z.string(), Origin)) })
      .strict()
      .describe("What detection uses for this service (or for services without their own overrides), and where each value comes from"),
  })
  .strict();
const ServiceQuery = z.object({ service: ServiceNameText.optional() });

export const signalApi = {
  listSignals: {
    method: "GET", path: "/api/v1/signals", summary: "Saturation and retry-storm signals: open ones first, then recently resolved (charts only in the detail)", scope: "read",
    query: z.object({ status: z.enum(["open", "resolved", "all"]).default("all"), service: ServiceNameText.optional(), limit: queryNumber({ min: 1, max: 500 }).default(100) }),
    response: z.object({ signals: z.array(SignalView) }).strict(),
  },
  getSignal: {
    method: "GET", path: "/api/v1/signals/{id}", summary: "One signal with its evidence: figures, example job IDs and the series it was judged on", scope: "read",
    params: z.object({ id: nonEmptyText(40) }), response: z.object({ signal: SignalView }).strict(),
  },
  getDetectionThresholds: {
    method: "GET", path: "/api/v1/detection/thresholds",
    summary: "Detector thresholds: built-in defaults, environment and console overrides, and the effective values for a service (`?service=`) with where each comes from",
    scope: "read", query: ServiceQuery, response: ThresholdsView,
  },
  replaceDetectionThresholds: {
    method: "PUT", path: "/api/v1/detection/thresholds",
    summary: "Replace every console override with this document (`{defaults, services}`, the `console` part of GET); audited",
    scope: "write", query: ServiceQuery, body: z.unknown().describe("{defaults: Overrides, services: {[service.name]: Overrides}}, as the `console` part of GET"), response: ThresholdsView,
  },
  saveScopeThresholds: {
    method: "PATCH", path: "/api/v1/detection/thresholds",
    summary: "Replace the console overrides of one scope (`service`, or null for all services) and leave the others; `{}` resets it; audited",
    scope: "write", body: z.object({ service: ServiceNameText.nullable(), overrides: z.unknown().describe("{saturation?, retryStorm?, cacheStampede?, hysteresis?}: each a partial set of that detector's thresholds, as `effective.thresholds` of GET") }).strict(), response: ThresholdsView,
  },
} satisfies Record<string, Operation>;
