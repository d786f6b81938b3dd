// One job's spans across traces as attempts, queue waits and timeline rows: which attempt each span belongs to,
// when each attempt's message waited in the queue, and the waterfall with those waits drawn as their own rows.
import { isConsumerSpan, isProducerSpan, outermostConsumers, queueWaits, type ConsumerTiming } from "../rollups/job-timings";
import { layoutWaterfall, MIN_BAR_WIDTH } from "./waterfall";

export type TimelineSpan = {
  traceId: string; spanId: string; parentSpanId: string | null; name: string; service: string; kind: string; statusCode: string;
  startTimeUnixNano: string; endTimeUnixNano: string; durationNs: string; jobAttempt: number | null;
  messagingOperation: string | null; messagingDestination: string | null; links: ReadonlyArray<{ traceId: string; spanId: string }>;
};

export type JobAttempt = {
  attempt: number; traceId: string; consumerSpanId: string; service: string; statusCode: string;
  startTimeUnixNano: string; endTimeUnixNano: string; durationNs: string; queueWaitNs: string | null;
};

export type JobQueueWait = { consumerSpanId: string; fromSpanId: string; paired: boolean; readyUnixNano: string; startUnixNano: string; waitNs: string; queue: string | null };

export type TimelineRow<T> =
  | { kind: "span"; span: T; attempt: number | null; depth: number; offset: number; width: number }
  | { kind: "queue"; wait: JobQueueWait; attempt: number | null; depth: number; offset: number; width: number };

const consumerTiming = (s: TimelineSpan): ConsumerTiming => ({
  spanId: s.spanId, startUnixNano: BigInt(s.startTimeUnixNano), endUnixNano: BigInt(s.endTimeUnixNano), parentSpanId: s.parentSpanId, linkedSpanIds: s.links.map((l) => l.spanId),
});

const byStart = (a: TimelineSpan, b: TimelineSpan) => {
  const d = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  return d < 0n ? -1 : d > 0n ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
};

/** Each queue wait of the job, with the same pairing rules as the job index (lib/telemetry/core/rollups/job-timings.ts). */
export function jobQueueWaits(spans: readonly TimelineSpan[]): JobQueueWait[] {
  const consumers = spans.filter(isConsumerSpan);
  const queueOf = new Map(consumers.map((c) => [c.spanId, c.messagingDestination]));
  const producers = spans.filter(isProducerSpan).map((p) => ({ spanId: p.spanId, endUnixNano: BigInt(p.endTimeUnixNano) }));
  return queueWaits(consumers.map(consumerTiming), producers).map((w) => ({
    consumerSpanId: w.consumerSpanId, fromSpanId: w.fromSpanId, paired: w.paired, readyUnixNano: String(w.readyUnixNano),
    startUnixNano: String(w.startUnixNano), waitNs: String(w.waitNs), queue: queueOf.get(w.consumerSpanId) ?? null,
  }));
}

/** Attempts are the outermost consumer spans in start order, numbered by `job.attempt` where they carry it. */
export function jobAttempts(spans: readonly TimelineSpan[], waits: readonly JobQueueWait[]): JobAttempt[] {
  const waitOf = new Map(waits.map((w) => [w.consumerSpanId, w.waitNs]));
  return outermostConsumers(spans.filter(isConsumerSpan)).sort(byStart).map((c, i) => ({
    attempt: c.jobAttempt ?? i + 1, traceId: c.traceId, consumerSpanId: c.spanId, service: c.service, statusCode: c.statusCode,
    startTimeUnixNano: c.startTimeUnixNano, endTimeUnixNano: c.endTimeUnixNano, durationNs: c.durationNs, queueWaitNs: waitOf.get(c.spanId) ?? null,
  }));
}

/** The attempt a span ran in: that of its nearest consumer ancestor (or itself); null for the API's side. */
export function attemptOfSpans(spans: readonly TimelineSpan[], attempts: readonly JobAttempt[]): Map<string, number | null> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const attemptOf = new Map<string, number>(attempts.map((a) => [a.consumerSpanId, a.attempt]));
  const out = new Map<string, number | null>();
  for (const s of spans) {
    let cur: TimelineSpan | undefined = s;
    const seen = new Set<string>();
    while (cur !== undefined && !attemptOf.has(cur.spanId) && !seen.has(cur.spanId)) {
      seen.add(cur.spanId);
      cur = cur.parentSpanId === null ? undefined : byId.get(cur.parentSpanId);
    }
    out.set(s.spanId, cur === undefined ? null : (attemptOf.get(cur.spanId) ?? null));
  }
  return out;
}

/** Waterfall rows over every span of the job, each queue wait drawn as a row just above the consumer that ended it. */
export function layoutJobTimeline<T extends TimelineSpan>(spans: readonly T[], waits: readonly JobQueueWait[], attempts: readonly JobAttempt[]): TimelineRow<T>[] {
  if (spans.length === 0) return [];
  const start = spans.reduce((m, s) => (BigInt(s.startTimeUnixNano) < m ? BigInt(s.startTimeUnixNano) : m), BigInt(spans[0]!.startTimeUnixNano));
  const end = spans.reduce((m, s) => (BigInt(s.endTimeUnixNano) > m ? BigInt(s.endTimeUnixNano) : m), start);
  const total = Number(end - start) || 1;
  const waitOf = new Map(waits.map((w) => [w.consumerSpanId, w]));
  const attemptOf = attemptOfSpans(spans, attempts);
  const rows: TimelineRow<T>[] = [];
  for (const row of layoutWaterfall(spans)) {
    const attempt = attemptOf.get(row.span.spanId) ?? null;
    const wait = waitOf.get(row.span.spanId);
    if (wait !== undefined) {
      const offset = Number(BigInt(wait.readyUnixNano) - start) / total;
      rows.push({ kind: "queue", wait, attempt, depth: row.depth, offset, width: Math.max(MIN_BAR_WIDTH, Number(wait.waitNs) / total) });
    }
    rows.push({ kind: "span", span: row.span, attempt, depth: row.depth, offset: row.offset, width: row.width });
  }
  return rows;
}
