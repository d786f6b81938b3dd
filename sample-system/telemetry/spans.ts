// Runs work inside a span with an explicit parent context; records errors and always ends the span.
import { SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";

export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions & { parent: Context },
  work: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const { parent, ...spanOptions } = options;
  const span = tracer.startSpan(name, spanOptions, parent);
  try {
    return await work(span, trace.setSpan(parent, span));
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
