// What every item of one Faro request shares: the resource (app, SDK, browser), the page attributes, and the
// trace of the page view the items belong to (derived from session and page ID, so all its requests agree).
import type { AttributeValue, KeyValue, OtlpResource, OtlpScope } from "../../telemetry/core/otlp/types";
import { derivedId } from "./ids";
import type { FaroMeta } from "./payload";

export type BatchContext = {
  resource: OtlpResource;
  scope: OtlpScope;
  /** Attributes put on every span and log record of the request. */
  common: KeyValue[];
  /** The page view's trace and its root span; null when the SDK sent no page ID. */
  page: { traceId: string; viewSpanId: string } | null;
  /** Seed for the IDs of items that belong to no page view. */
  seed: string;
};

/** Key-value pairs from a record, leaving out absent and empty values. */
export function keyValues(record: Readonly<Record<string, AttributeValue | undefined>>): KeyValue[] {
  return Object.entries(record).flatMap(([key, value]) => (value === undefined || value === null || value === "" ? [] : [{ key, value }]));
}

export function batchContext(meta: FaroMeta): BatchContext {
  const app = meta.app ?? {};
  const sdk = meta.sdk ?? {};
  const browser = meta.browser ?? {};
  const resource = keyValues({
    "service.name": app.name || "unknown_service:faro",
    "service.version": app.version,
    "service.namespace": app.namespace,
    "deployment.environment.name": app.environment,
    "telemetry.sdk.name": sdk.name || "faro",
    "telemetry.sdk.version": sdk.version,
    "telemetry.sdk.language": "webjs",
    "browser.name": browser.name,
    "browser.version": browser.version,
    "browser.mobile": browser.mobile,
    "browser.language": browser.language,
    "os.name": browser.os,
    "user_agent.original": browser.userAgent,
  });
  const sessionId = meta.session?.id;
  const pageId = meta.page?.id;
  const seed = `${sessionId ?? ""}|${pageId ?? ""}|${meta.page?.url ?? ""}`;
  return {
    resource: { attributes: resource, droppedAttributesCount: 0 },
    scope: { name: sdk.name || "faro", version: sdk.version ?? "", attributes: [] },
    common: keyValues({
      "session.id": sessionId,
      "faro.page.id": pageId,
      "page.route": meta.view?.name,
      "page.url": meta.page?.url,
    }),
    page: pageId ? { traceId: derivedId(32, "page-trace", sessionId ?? "", pageId), viewSpanId: derivedId(16, "page-view", sessionId ?? "", pageId) } : null,
    seed,
  };
}

/** Where an item goes: its own trace context when the SDK sent one, else under its page view, else a trace of its own. */
export function placeItem(ctx: BatchContext, trace: { trace_id: string; span_id: string } | undefined, ...identity: readonly (string | number)[]): { traceId: string; parentSpanId: string } {
  if (trace) return { traceId: trace.trace_id.toLowerCase(), parentSpanId: trace.span_id.toLowerCase() };
  if (ctx.page) return { traceId: ctx.page.traceId, parentSpanId: ctx.page.viewSpanId };
  return { traceId: derivedId(32, "item-trace", ctx.seed, ...identity), parentSpanId: "" };
}

export function timestampNs(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1_000_000n;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1_000_000));
}
