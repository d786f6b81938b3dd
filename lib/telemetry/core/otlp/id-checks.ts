// Validity rules for W3C trace and span IDs as they arrive from the decoder (lowercase hex of any length).

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/** Null when valid, else the problem in words; all-zero IDs are invalid per W3C Trace Context. */
export function traceIdProblem(traceId: string): string | null {
  if (traceId.length !== 32) return `expected 32 hex chars, got ${traceId.length}`;
  return traceId === ZERO_TRACE_ID ? "all-zero trace ID" : null;
}

export function spanIdProblem(spanId: string): string | null {
  if (spanId.length !== 16) return `expected 16 hex chars, got ${spanId.length}`;
  return spanId === ZERO_SPAN_ID ? "all-zero span ID" : null;
}

/** A parent span ID: empty or all-zero means a root span (some SDKs send zeros), any other length is invalid. */
export function parentSpanIdOf(parentSpanId: string): { ok: true; value: string | null } | { ok: false; reason: string } {
  if (parentSpanId === "" || parentSpanId === ZERO_SPAN_ID) return { ok: true, value: null };
  const problem = spanIdProblem(parentSpanId);
  return problem === null ? { ok: true, value: parentSpanId } : { ok: false, reason: problem };
}
