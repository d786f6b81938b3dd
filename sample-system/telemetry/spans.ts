// Runs work inside a span with an explicit parent context; records errors and always ends the span.
// The span is also the active one while `work` runs, so automatic instrumentation nests under it.
import { SpanStatusCode, context, trace, type Attributes, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";

export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions & { parent: Context },
  work: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const { parent, ...spanOptions } = options;
  const span = tracer.startSpan(name, spanOptions, parent);
  try {
    const ctx = trace.setSpan(parent, span);
    return await context.with(ctx, () => work(span, ctx));
  } catch (err) {
    markSpanError(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function markSpanError(span: Span, err: unknown, attributes: Attributes = {}): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  span.setAttributes({ "error.type": (error as { kind?: string }).kind ?? error.name, ...attributes });
}
