// The JSON body a Grafana Faro web SDK sends (the shape Alloy's faro.receiver accepts), as zod schemas.
// Unknown keys are dropped rather than refused, so newer SDKs still validate; known fields are checked.
import { z } from "zod";

/** Most items of one kind accepted in one request; the SDK sends at most 50 items per batch. */
export const MAX_ITEMS_PER_KIND = 1000;

// Faro types attributes as strings, but some instrumentations put numbers in them (faro.navigation's duration).
const AttributeText = z.union([z.string().max(16_384), z.number(), z.boolean()]).transform((v) => String(v));
const Attributes = z.record(z.string().max(256), AttributeText);

const Timestamp = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp such as 2026-11-23T12:00:00.000Z" });

const TraceContext = z.object({ trace_id: z.string().regex(/^[0-9a-f]{32}$/i, "must be 32 hex digits"), span_id: z.string().regex(/^[0-9a-f]{16}$/i, "must be 16 hex digits") });

const StackFrame = z.object({
  filename: z.string().max(4096).default(""),
  function: z.string().max(4096).default(""),
  lineno: z.number().int().optional(),
  colno: z.number().int().optional(),
});

export const FaroException = z.object({
  type: z.string().max(1024),
  value: z.string().max(65_536),
  timestamp: Timestamp,
  stacktrace: z.object({ frames: z.array(StackFrame).max(500) }).optional(),
  trace: TraceContext.optional(),
  context: Attributes.optional(),
});
export type FaroException = z.output<typeof FaroException>;

export const FaroLog = z.object({
  message: z.string().max(65_536),
  level: z.enum(["trace", "debug", "info", "log", "warn", "error"], { error: "must be trace, debug, info, log, warn or error" }),
  timestamp: Timestamp,
  trace: TraceContext.optional(),
  context: Attributes.optional(),
});
export type FaroLog = z.output<typeof FaroLog>;

export const FaroMeasurement = z.object({
  type: z.string().min(1).max(256),
  values: z.record(z.string().max(256), z.number().refine(Number.isFinite, "must be a finite number")),
  timestamp: Timestamp,
  trace: TraceContext.optional(),
  context: Attributes.optional(),
});
export type FaroMeasurement = z.output<typeof FaroMeasurement>;

export const FaroEvent = z.object({
  name: z.string().min(1).max(1024),
  domain: z.string().max(256).optional(),
  attributes: Attributes.optional(),
  timestamp: Timestamp,
  trace: TraceContext.optional(),
});
export type FaroEvent = z.output<typeof FaroEvent>;

const Text = z.string().max(1024).optional();

export const FaroMeta = z.object({
  sdk: z.object({ name: Text, version: Text }).optional(),
  app: z.object({ name: Text, version: Text, environment: Text, release: Text, namespace: Text }).optional(),
  session: z.object({ id: Text, attributes: Attributes.optional() }).optional(),
  page: z.object({ id: Text, url: z.string().max(8192).optional(), attributes: Attributes.optional() }).optional(),
  view: z.object({ name: Text }).optional(),
  browser: z.object({ name: Text, version: Text, os: Text, mobile: z.boolean().optional(), userAgent: z.string().max(2048).optional(), language: Text }).optional(),
});
export type FaroMeta = z.output<typeof FaroMeta>;

/** Faro's `traces` is an OTLP/JSON ExportTraceServiceRequest; the OTLP decoder checks the inside. */
const FaroTraces = z.looseObject({ resourceSpans: z.array(z.unknown()).max(MAX_ITEMS_PER_KIND).optional() });

const many = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_ITEMS_PER_KIND, `at most ${MAX_ITEMS_PER_KIND} items per request`).optional();

export const FaroPayload = z.object({
  meta: FaroMeta.default({}),
  exceptions: many(FaroException),
  logs: many(FaroLog),
  measurements: many(FaroMeasurement),
  events: many(FaroEvent),
  traces: FaroTraces.optional(),
});
export type FaroPayload = z.output<typeof FaroPayload>;

export type PayloadResult = { ok: true; payload: FaroPayload } | { ok: false; reason: string; issues: { path: string; message: string }[] };

/** Validates a parsed JSON body; problems name the field, e.g. `exceptions.0.timestamp: must be an RFC 3339 timestamp`. */
export function parseFaroPayload(input: unknown): PayloadResult {
  const parsed = FaroPayload.safeParse(input);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
  return { ok: false, reason: issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues };
}
