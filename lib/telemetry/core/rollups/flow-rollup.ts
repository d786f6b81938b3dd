// Folds spans into 10-second flow rollups, what the detectors read: messages published to a queue
// (PRODUCER), messages consumed from it (CONSUMER), requests a service serves (SERVER), calls it makes to a
// dependency (CLIENT), and cache lookups (CLIENT spans that say whether they hit) with their misses.
import type { SpanRow } from "../otlp/normalise-traces";
import { isRetrySpan } from "../otlp/span-semconv";
import { isErrorSpan } from "./span-rollup";

export const FLOW_BUCKET_SECONDS = 10;
export type FlowKind = "publish" | "consume" | "serve" | "call" | "lookup";

export interface FlowRollup {
  /** Unix seconds at the start of the bucket (a multiple of FLOW_BUCKET_SECONDS). */
  bucket: number;
  flow: FlowKind;
  /** The publishing, consuming or calling service. */
  service: string;
  /** The queue (publish, consume), the route served (serve; "" when the span names none) or the dependency (call, lookup). */
  target: string;
  count: number;
  errorCount: number;
  /** Retries (`isRetrySpan`): a job's or message's later attempt, a resent HTTP request, a retried gRPC call. */
  retryCount: number;
  durationSumNs: number;
  /** Lookups that missed (lookup flows; 0 otherwise). */
  missCount: number;
  /** Retried calls whose gap after the parent's last failed call to the dependency was measured (`retryGapsMs`). */
  retryGapCount?: number;
  /** Σ ln(1 + gap in ms) over those gaps: their geometric mean is not swayed by a few long ones, and sums merge by adding. */
  retryGapLogMsSum?: number;
}

const NS_PER_BUCKET = BigInt(FLOW_BUCKET_SECONDS) * 1_000_000_000n;

function stringAttr(span: SpanRow, key: string): string | null {
  const v = span.attributes[key];
  return typeof v === "string" && v !== "" ? v : null;
}

/** What a CLIENT span calls: `peer.service`, else `server.address`, else the database system. */
export function dependencyOf(span: SpanRow): string | null {
  return stringAttr(span, "peer.service") ?? stringAttr(span, "server.address") ?? stringAttr(span, "net.peer.name") ?? stringAttr(span, "db.system.name") ?? stringAttr(span, "db.system");
}

/** A cache lookup's outcome: `cache.hit` (boolean), or `cache.result` / `sample.cache.result` "hit" | "miss"; null if the span does not say. */
export function cacheHitOf(span: SpanRow): boolean | null {
  const hit = span.attributes["cache.hit"];
  if (typeof hit === "boolean") return hit;
  const result = stringAttr(span, "cache.result") ?? stringAttr(span, "sample.cache.result");
  return result === "hit" ? true : result === "miss" ? false : null;
}

/**
 * The flow a span counts in, and when: a publish at its start (the message entered the queue),
 * a consume at its end (the job left the worker), a served request and a call at their start (arrivals).
 */
function flowOf(span: SpanRow): { flow: FlowKind; target: string; atNs: bigint } | null {
  const queue = span.messagingDestinationName;
  const sends = span.messagingOperation === "send" || span.messagingOperation === "publish";
  if (queue !== null && (span.kind === "PRODUCER" || (sends && span.kind !== "CONSUMER"))) {
    return { flow: "publish", target: queue, atNs: span.startTimeUnixNano };
  }
  if (queue !== null && span.kind === "CONSUMER") return { flow: "consume", target: queue, atNs: span.endTimeUnixNano };
  // The route keeps the key low-cardinality; a span name may hold IDs.
  if (span.kind === "SERVER") return { flow: "serve", target: span.httpRoute ?? stringAttr(span, "rpc.method") ?? "", atNs: span.startTimeUnixNano };
  if (span.kind === "CLIENT") {
    const dependency = dependencyOf(span);
    if (dependency !== null) return { flow: "call", target: dependency, atNs: span.startTimeUnixNano };
  }
  return null;
}

/**
 * How long each retried call waited after its parent's last failed call to the same dependency, in ms: what
 * backoff is judged from when calls carry no job ID. Only spans of one batch are seen, so a retry whose failed
 * call came in another batch, or that follows no failed call (a redirect), or whose call has no parent, is not
 * measured. Failed calls to the same dependency in parallel under one parent can make a gap look shorter.
 */
export function retryGapsMs(spans: readonly SpanRow[]): Map<SpanRow, number> {
  const gaps = new Map<SpanRow, number>();
  const retried = spans.filter((s) => s.kind === "CLIENT" && s.parentSpanId !== null && isRetrySpan(s));
  if (retried.length === 0) return gaps;
  const keyOf = (s: SpanRow) => `${s.traceId}\u0000${s.parentSpanId}\u0000${s.serviceName}\u0000${dependencyOf(s)}`;
  const wanted = new Set(retried.map(keyOf));
  const failedEnds = new Map<string, bigint[]>();
  for (const s of spans) {
    if (s.kind !== "CLIENT" || s.parentSpanId === null || !isErrorSpan(s)) continue;
    const key = keyOf(s);
    if (!wanted.has(key)) continue;
    const ends = failedEnds.get(key);
    if (ends === undefined) failedEnds.set(key, [s.endTimeUnixNano]);
    else ends.push(s.endTimeUnixNano);
  }
  for (const retry of retried) {
    let last: bigint | null = null;
    for (const end of failedEnds.get(keyOf(retry)) ?? []) if (end <= retry.startTimeUnixNano && (last === null || end > last)) last = end;
    if (last !== null) gaps.set(retry, Number(retry.startTimeUnixNano - last) / 1e6);
  }
  return gaps;
}

/** One rollup per key, sorted by key so concurrent writers lock rows in the same order. A cache lookup counts as a call and as a lookup. */
export function spansToFlowRollups(spans: readonly SpanRow[]): FlowRollup[] {
  const byKey = new Map<string, FlowRollup>();
  const gaps = retryGapsMs(spans);
  const add = (span: SpanRow, flow: FlowKind, target: string, atNs: bigint, missed: boolean) => {
    const bucket = Number(atNs / NS_PER_BUCKET) * FLOW_BUCKET_SECONDS;
    const key = `${bucket}\u0000${flow}\u0000${span.serviceName}\u0000${target}`;
    let r = byKey.get(key);
    if (r === undefined) {
      r = { bucket, flow, service: span.serviceName, target, count: 0, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0, retryGapCount: 0, retryGapLogMsSum: 0 };
      byKey.set(key, r);
    }
    r.count += 1;
    if (isErrorSpan(span)) r.errorCount += 1;
    if (isRetrySpan(span)) r.retryCount += 1;
    r.durationSumNs += Number(span.durationNs);
    if (missed) r.missCount += 1;
    const gapMs = flow === "call" ? gaps.get(span) : undefined;
    if (gapMs !== undefined) {
      r.retryGapCount = (r.retryGapCount ?? 0) + 1;
      r.retryGapLogMsSum = (r.retryGapLogMsSum ?? 0) + Math.log1p(gapMs);
    }
  };
  for (const span of spans) {
    const f = flowOf(span);
    if (f === null) continue;
    add(span, f.flow, f.target, f.atNs, false);
    if (f.flow !== "call") continue;
    const hit = cacheHitOf(span);
    if (hit !== null) add(span, "lookup", f.target, f.atNs, !hit);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}
