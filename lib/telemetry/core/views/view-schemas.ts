// The response shapes of the telemetry reads as zod: the API contract serves them and views.ts returns their types.
import { z } from "zod";
import { MapEdgeView, MapLayoutView, MapNodeView } from "./service-map";

const nullableNumber = z.number().nullable();

export const RedBasis = z.enum(["entry", "all"]);
const Red = { requestRatePerS: z.number(), errorRatio: nullableNumber, p50Ms: nullableNumber, p95Ms: nullableNumber, p99Ms: nullableNumber };

export const RangeView = z.object({ from: z.string(), to: z.string() }).strict();
export type RangeView = z.infer<typeof RangeView>;

export const ServiceSummaryView = z.object({ name: z.string(), basis: RedBasis, spanCount: z.number(), lastSeen: z.string().nullable(), ...Red }).strict();
export type ServiceSummaryView = z.infer<typeof ServiceSummaryView>;

export const ServicePointView = z.object({ at: z.string(), requestRatePerS: nullableNumber, errorRatio: nullableNumber, p50Ms: nullableNumber, p95Ms: nullableNumber, p99Ms: nullableNumber }).strict();
export type ServicePointView = z.infer<typeof ServicePointView>;

export const MetricPointView = z
  .object({
    at: z.string(), kind: z.string(), count: nullableNumber, sum: nullableNumber, min: nullableNumber, max: nullableNumber, avg: nullableNumber, last: nullableNumber,
    deltaTotal: nullableNumber, ratePerS: nullableNumber, p50: nullableNumber, p95: nullableNumber, p99: nullableNumber, seriesCount: z.number(),
  })
  .strict();
export type MetricPointView = z.infer<typeof MetricPointView>;

export const ServicesOverviewView = z.object({ range: RangeView, services: z.array(ServiceSummaryView) }).strict();
export const ServiceDetailView = z.object({ range: RangeView, service: ServiceSummaryView, basis: RedBasis, stepMinutes: z.number().int(), series: z.array(ServicePointView) }).strict();
export const MetricOverviewView = z.object({ name: z.string(), service: z.string().nullable(), unit: z.string(), range: RangeView, points: z.array(MetricPointView) }).strict();

/** The service map over a range (or one service's neighbourhood), laid out; `services` names every service on the whole map. */
export const ServiceMapView = z
  .object({ range: RangeView, service: z.string().nullable(), services: z.array(z.string()), nodes: z.array(MapNodeView), edges: z.array(MapEdgeView), layout: MapLayoutView })
  .strict();
export type ServiceMapView = z.infer<typeof ServiceMapView>;
