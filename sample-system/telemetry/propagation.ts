// W3C trace context in and out of string maps (HTTP and queue headers), with explicit contexts:
// the sample system passes `Context` values rather than relying on a global context manager.
import { ROOT_CONTEXT, trace, type Context, type Link, type SpanContext } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

const propagator = new W3CTraceContextPropagator();

const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, unknown>, key: string) => {
    const v = carrier[key];
    return typeof v === "string" ? v : Array.isArray(v) ? (v.filter((x) => typeof x === "string") as string[]) : Buffer.isBuffer(v) ? v.toString() : undefined;
  },
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
};

export function injectTraceContext(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, setter);
  return carrier;
}

export function extractTraceContext(carrier: Record<string, unknown>): Context {
  return propagator.extract(ROOT_CONTEXT, carrier, getter);
}

/** A traceparent string alone (e.g. the previous attempt's span), as a span context for a link. */
export function traceparentToSpanContext(traceparent: string | undefined): SpanContext | undefined {
  if (!traceparent) return undefined;
  return trace.getSpanContext(extractTraceContext({ traceparent }));
}

export function spanContextToTraceparent(ctx: Context): string | undefined {
  return injectTraceContext(ctx).traceparent;
}

export function linkTo(spanContext: SpanContext | undefined, attributes: Link["attributes"] = {}): Link[] {
  return spanContext ? [{ context: spanContext, attributes }] : [];
}
