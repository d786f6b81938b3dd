// Folds spans into 10-second flow rollups, what the detectors read: messages published to a queue
// (PRODUCER), messages consumed from it (CONSUMER), calls a service makes to a dependency (CLIENT), and
// cache lookups (CLIENT spans that say whether they hit) with their misses.
import type { SpanRow } from "../otlp/normalise-traces";
import { isErrorSpan } from "./span-rollup";

export const FLOW_BUCKET_SECONDS = 10;
export type FlowKind = "publish" | "consume" | "call" | "lookup";

export interface FlowRollup {
  /** Unix seconds at the start of the bucket (a multiple of FLOW_BUCKET_SECONDS). */
  bucket: number;
  flow: FlowKind;
  /** The publishing, consuming or calling service. */
  service: string;
  /** The queue (publish, consume) or the dependency (call). */
  target: string;
  count: number;
  errorCount: number;
  /** Spans of a job's second or later attempt. */
  retryCount: number;
  durationSumNs: number;
  /** Lookups that missed (lookup flows; 0 otherwise). */
  missCount: number;
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
 * a consume at its end (the job left the worker), a call at its start.
 */
function flowOf(span: SpanRow): { flow: FlowKind; target: string; atNs: bigint } | null {
  const queue = span.messagingDestinationName;
  const sends = span.messagingOperation === "send" || span.messagingOperation === "publish";
  if (queue !== null && (span.kind === "PRODUCER" || (sends && span.kind !== "CONSUMER"))) {
    return { flow: "publish", target: queue, atNs: span.startTimeUnixNano };
  }
  if (queue !== null && span.kind === "CONSUMER") return { flow: "consume", target: queue, atNs: span.endTimeUnixNano };
  if (span.kind === "CLIENT") {
    const dependency = dependencyOf(span);
    if (dependency !== null) return { flow: "call", target: dependency, atNs: span.startTimeUnixNano };
  }
  return null;
}

/** One rollup per key, sorted by key so concurrent writers lock rows in the same order. A cache lookup counts as a call and as a lookup. */
export function spansToFlowRollups(spans: readonly SpanRow[]): FlowRollup[] {
  const byKey = new Map<string, FlowRollup>();
  const add = (span: SpanRow, flow: FlowKind, target: string, atNs: bigint, missed: boolean) => {
    const bucket = Number(atNs / NS_PER_BUCKET) * FLOW_BUCKET_SECONDS;
    const key = `${bucket}\u0000${flow}\u0000${span.serviceName}\u0000${target}`;
    let r = byKey.get(key);
    if (r === undefined) {
      r = { bucket, flow, service: span.serviceName, target, count: 0, errorCount: 0, retryCount: 0, durationSumNs: 0, missCount: 0 };
      byKey.set(key, r);
    }
    r.count += 1;
    if (isErrorSpan(span)) r.errorCount += 1;
    if ((span.jobAttempt ?? 1) > 1) r.retryCount += 1;
    r.durationSumNs += Number(span.durationNs);
    if (missed) r.missCount += 1;
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
