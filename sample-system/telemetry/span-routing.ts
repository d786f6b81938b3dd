// Routes spans from automatic instrumentation (which patches modules once per process) to the
// component that owns the work: a span goes to its parent's component, a SERVER or CONSUMER root to
// the component registered for it, and anything else (the host process's own calls) is not recorded.
import { INVALID_SPAN_CONTEXT, SpanKind, context, trace, type Context, type Span, type SpanOptions, type Tracer, type TracerProvider } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";

const ownerOfSpan = new WeakMap<Span, TracerProvider>();
const rootOwners: Array<{ provider: TracerProvider; kinds: SpanKind[] }> = [];

/** A span processor marking every span of `provider` as that component's, so children follow it. */
export function ownershipProcessor(provider: () => TracerProvider): SpanProcessor {
  return {
    onStart: (span) => void ownerOfSpan.set(span as unknown as Span, provider()),
    onEnd: () => undefined,
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/** Makes `provider` the owner of automatic root spans of these kinds; returns the undo. */
export function ownRootSpans(provider: TracerProvider, kinds: SpanKind[]): () => void {
  const entry = { provider, kinds };
  rootOwners.push(entry);
  return () => void rootOwners.splice(rootOwners.indexOf(entry) >>> 0, 1);
}

function ownerFor(options: SpanOptions, ctx: Context): TracerProvider | undefined {
  const parent = trace.getSpan(ctx);
  const owner = parent && ownerOfSpan.get(parent);
  if (owner) return owner;
  const kind = options.kind ?? SpanKind.INTERNAL;
  // The latest registration wins: a restarted sample system replaces the one before.
  return rootOwners.findLast((o) => o.kinds.includes(kind))?.provider;
}

class RoutedTracer implements Tracer {
  constructor(private readonly name: string, private readonly version?: string) {}
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const owner = ownerFor(options, ctx);
    if (!owner) return trace.wrapSpanContext(trace.getSpanContext(ctx) ?? INVALID_SPAN_CONTEXT);
    return owner.getTracer(this.name, this.version).startSpan(name, options, ctx);
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args.pop() as F;
    const [options = {}, ctx = context.active()] = args as [SpanOptions?, Context?];
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), () => fn(span)) as ReturnType<F>;
  }
}

/** The tracer provider handed to the instrumentations. */
export const routedTracerProvider: TracerProvider = { getTracer: (name, version) => new RoutedTracer(name, version) };
