// Folds spans into per-minute RED rollups (service × span name × kind × minute of the span's end).
import type { SpanRow } from "../otlp/normalise-traces";
import { durationBucketIndex, emptyDurationBuckets } from "../metrics/duration-buckets";

export interface SpanRollup {
  /** Unix minute (minutes since the epoch) in which the spans ended. */
  minute: number;
  service: string;
  name: string;
  kind: string;
  count: number;
  errorCount: number;
  durationSumNs: number;
  durationMaxNs: bigint;
  lastEndNs: bigint;
  buckets: number[];
}

const NS_PER_MINUTE = 60_000_000_000n;

/** An error is an ERROR status, or a 5xx answer from a server span (HTTP semconv: 4xx is the client's fault). */
export function isErrorSpan(span: Pick<SpanRow, "statusCode" | "kind" | "httpStatusCode">): boolean {
  if (span.statusCode === "ERROR") return true;
  return span.kind === "SERVER" && span.httpStatusCode !== null && span.httpStatusCode >= 500;
}

/** One rollup per key, sorted by key so concurrent writers lock rows in the same order. */
export function spansToRollups(spans: readonly SpanRow[]): SpanRollup[] {
  const byKey = new Map<string, SpanRollup>();
  for (const span of spans) {
    const minute = Number(span.endTimeUnixNano / NS_PER_MINUTE);
    const key = `${span.serviceName}\u0000${minute}\u0000${span.name}\u0000${span.kind}`;
    let r = byKey.get(key);
    if (r === undefined) {
      r = { minute, service: span.serviceName, name: span.name, kind: span.kind, count: 0, errorCount: 0, durationSumNs: 0, durationMaxNs: 0n, lastEndNs: 0n, buckets: emptyDurationBuckets() };
      byKey.set(key, r);
    }
    const durationNs = Number(span.durationNs);
    r.count++;
    if (isErrorSpan(span)) r.errorCount++;
    r.durationSumNs += durationNs;
    if (span.durationNs > r.durationMaxNs) r.durationMaxNs = span.durationNs;
    if (span.endTimeUnixNano > r.lastEndNs) r.lastEndNs = span.endTimeUnixNano;
    const i = durationBucketIndex(durationNs);
    r.buckets[i] = (r.buckets[i] as number) + 1;
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}
