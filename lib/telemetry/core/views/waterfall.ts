// Lays out one trace's spans as waterfall rows: tree order (children after their parent, by start), depth for
// indentation, and each bar's offset and width as fractions of the trace; orphans (parent not stored) are roots.

export type WaterfallInput = { spanId: string; parentSpanId: string | null; startTimeUnixNano: string; durationNs: string };
export type WaterfallRow<T> = { span: T; depth: number; offset: number; width: number };

/** Bars never vanish: a span shorter than this fraction of the trace is drawn this wide. */
export const MIN_BAR_WIDTH = 0.002;

export function layoutWaterfall<T extends WaterfallInput>(spans: readonly T[]): WaterfallRow<T>[] {
  if (spans.length === 0) return [];
  const start = spans.reduce((m, s) => (BigInt(s.startTimeUnixNano) < m ? BigInt(s.startTimeUnixNano) : m), BigInt(spans[0]!.startTimeUnixNano));
  const end = spans.reduce((m, s) => {
    const e = BigInt(s.startTimeUnixNano) + BigInt(s.durationNs);
    return e > m ? e : m;
  }, start);
  const total = Number(end - start) || 1;
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, T[]>();
  for (const s of spans) {
    const parent = s.parentSpanId !== null && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const byStart = (a: T, b: T) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : a.spanId < b.spanId ? -1 : 1);
  const rows: WaterfallRow<T>[] = [];
  const seen = new Set<string>();
  const visit = (span: T, depth: number) => {
    if (seen.has(span.spanId)) return; // a parent cycle in bad data must not loop forever
    seen.add(span.spanId);
    const offset = Number(BigInt(span.startTimeUnixNano) - start) / total;
    rows.push({ span, depth, offset, width: Math.max(MIN_BAR_WIDTH, Number(span.durationNs) / total) });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of (children.get(null) ?? []).sort(byStart)) visit(root, 0);
  // Spans only reachable through a cycle are still shown, at the top level.
  for (const s of [...spans].sort(byStart)) visit(s, 0);
  return rows;
}
