// The Faro receiver in the API contract, so openapi.json documents it; its handler is lib/faro/receive/faro-receiver.ts
// (origin rules and backpressure do not fit the token-scoped route wrapper).
import { z } from "zod";
import { FaroPayload } from "../../faro/core/payload";
import type { Operation } from "./contract-types";

export const FaroAcceptedView = z
  .object({
    accepted: z.object({ spans: z.number().int(), metricPoints: z.number().int(), logRecords: z.number().int() }).strict(),
    rejected: z.number().int(),
    message: z.string().nullable(),
  })
  .strict();

export const faroApi = {
  faroCollect: {
    method: "POST", path: "/api/faro/collect", status: 202, scope: "public", body: FaroPayload, response: FaroAcceptedView,
    summary: "Grafana Faro web SDK payloads (meta, events, measurements, exceptions, logs, traces) stored as telemetry; same-origin pages, listed origins (TAILGUARD_FARO_ALLOWED_ORIGINS), or an ingest token",
  },
} satisfies Record<string, Operation>;
