// Span rows decoded straight from protobuf (fast-trace-decode.ts), finished against the clock and the job ID keys
// when they are stored: the result equals `normaliseTraces` over the same request, rejections and messages included.
import { stringAttribute, type Attributes } from "./attributes";
import type { NormaliseTracesResult, SpanRow } from "./normalise-traces";
import { DEFAULT_JOB_ID_KEYS } from "./span-semconv";
import { DEFAULT_MAX_FUTURE_SKEW_NS, EARLIEST_PLAUSIBLE_UNIX_NANO, timestampProblem, type TimeBounds } from "./time-bounds";

export interface PendingSpanRows {
  /** Every span of the request in order, including those that will be rejected; `jobId` is set when finished. */
  rows: SpanRow[];
  /** Row index → why the span is rejected whatever the clock: its trace or span ID. */
  idProblems: Map<number, string>;
  /** Row index → why its parent span ID rejects it; checked after the times, as normaliseTraces does. */
  parentProblems: Map<number, string>;
  /** Where each ScopeSpans' spans start in `rows`, in order, to name a rejected span by its path in the request. */
  scopes: Array<{ resourceIndex: number; scopeIndex: number; firstRow: number }>;
}

export interface FinishSpanRowsOptions extends TimeBounds {
  /** Extra job ID attribute keys, tried after `job.id`. */
  jobIdKeys?: readonly string[];
}

function timeProblem(row: SpanRow, bounds: TimeBounds, latest: bigint): string | null {
  const start = row.startTimeUnixNano;
  const end = row.endTimeUnixNano;
  if (start >= EARLIEST_PLAUSIBLE_UNIX_NANO && end >= start && end <= latest) return null;
  const startProblem = timestampProblem(start, bounds);
  if (startProblem !== null) return `startTimeUnixNano: ${startProblem}`;
  const endProblem = timestampProblem(end, bounds);
  if (endProblem !== null) return `endTimeUnixNano: ${endProblem}`;
  return "endTimeUnixNano: before startTimeUnixNano";
}

/** `firstStringAttribute([span, resource], keys)` without building the pair per span. */
function jobIdOf(spanAttributes: Attributes, resourceAttributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = stringAttribute(spanAttributes, key);
    if (value !== null) return value;
  }
  for (const key of keys) {
    const value = stringAttribute(resourceAttributes, key);
    if (value !== null) return value;
  }
  return null;
}

function pathOf(pending: PendingSpanRows, row: number): string {
  for (let i = pending.scopes.length - 1; i >= 0; i--) {
    const scope = pending.scopes[i]!;
    if (scope.firstRow <= row) return `resourceSpans[${scope.resourceIndex}].scopeSpans[${scope.scopeIndex}].spans[${row - scope.firstRow}]`;
  }
  throw new Error(`span row ${row} belongs to no ScopeSpans`);
}

/** Hands the rows over: the returned spans are the pending rows themselves, so finish a batch once. */
export function finishSpanRows(pending: PendingSpanRows, options: FinishSpanRowsOptions): NormaliseTracesResult {
  const jobIdKeys = [...DEFAULT_JOB_ID_KEYS, ...(options.jobIdKeys ?? [])];
  const latest = options.nowUnixNano + (options.maxFutureSkewNs ?? DEFAULT_MAX_FUTURE_SKEW_NS);
  const anyIdProblem = pending.idProblems.size > 0 || pending.parentProblems.size > 0;
  const spans: SpanRow[] = [];
  let rejectedSpans = 0;
  let errorMessage: string | null = null;
  const rows = pending.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const problem = anyIdProblem
      ? (pending.idProblems.get(i) ?? timeProblem(row, options, latest) ?? pending.parentProblems.get(i) ?? null)
      : timeProblem(row, options, latest);
    if (problem !== null) {
      rejectedSpans++;
      errorMessage ??= `${pathOf(pending, i)}.${problem}`;
      continue;
    }
    row.jobId = jobIdOf(row.attributes, row.resourceAttributes, jobIdKeys);
    spans.push(row);
  }
  return { spans, rejectedSpans, errorMessage };
}
