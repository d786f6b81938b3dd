// Time in queue and time in workers of one job, from the consumer and producer spans seen so far.
//
// The facts are kept as sets keyed by span ID (a consumer's start, end, parent and links; a producer's end) that
// merge by union, so a batch that arrives twice, or a consumer that arrives before its producer, gives the same
// figures; the sums are always recomputed from the merged sets, never added up batch by batch.

export type ConsumerTiming = { spanId: string; startUnixNano: bigint; endUnixNano: bigint; parentSpanId: string | null; linkedSpanIds: string[] };
export type ProducerTiming = { spanId: string; endUnixNano: bigint };

/** The wait of one consumer span: from when its message was ready to the consumer's start. */
export type QueueWait = { consumerSpanId: string; readyUnixNano: bigint; startUnixNano: bigint; waitNs: bigint; fromSpanId: string; paired: boolean };

export type JobTimings = { queueNs: bigint | null; workerNs: bigint | null };

/** The per-job sets keep the consumers and producers with the smallest span IDs, as MAX_JOB_SET_SIZE does. */
export const MAX_TIMING_SPANS = 64;

type SpanFacts = { kind: string; messagingOperation: string | null };

export function isConsumerSpan(span: SpanFacts): boolean {
  return span.kind === "CONSUMER" || span.messagingOperation === "process";
}

const PUBLISH_OPERATIONS = new Set(["publish", "send", "create"]);

export function isProducerSpan(span: SpanFacts): boolean {
  return !isConsumerSpan(span) && (span.kind === "PRODUCER" || (span.messagingOperation !== null && PUBLISH_OPERATIONS.has(span.messagingOperation)));
}

const byId = (a: { spanId: string }, b: { spanId: string }) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

function unionIds(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort().slice(0, MAX_TIMING_SPANS);
}

/** Union by span ID; the same span seen twice keeps the larger of each fact (the values agree for a re-sent span). */
export function mergeConsumerTimings(a: readonly ConsumerTiming[], b: readonly ConsumerTiming[]): ConsumerTiming[] {
  const out = new Map<string, ConsumerTiming>(a.map((c) => [c.spanId, c]));
  for (const c of b) {
    const prev = out.get(c.spanId);
    if (prev === undefined) {
      out.set(c.spanId, c);
      continue;
    }
    const parents = [prev.parentSpanId, c.parentSpanId].filter((p): p is string => p !== null).sort();
    out.set(c.spanId, {
      spanId: c.spanId,
      startUnixNano: maxBig(prev.startUnixNano, c.startUnixNano),
      endUnixNano: maxBig(prev.endUnixNano, c.endUnixNano),
      parentSpanId: parents[parents.length - 1] ?? null,
      linkedSpanIds: unionIds(prev.linkedSpanIds, c.linkedSpanIds),
    });
  }
  return [...out.values()].sort(byId).slice(0, MAX_TIMING_SPANS);
}

export function mergeProducerTimings(a: readonly ProducerTiming[], b: readonly ProducerTiming[]): ProducerTiming[] {
  const out = new Map<string, ProducerTiming>(a.map((p) => [p.spanId, p]));
  for (const p of b) {
    const prev = out.get(p.spanId);
    out.set(p.spanId, prev === undefined ? p : { spanId: p.spanId, endUnixNano: maxBig(prev.endUnixNano, p.endUnixNano) });
  }
  return [...out.values()].sort(byId).slice(0, MAX_TIMING_SPANS);
}

/** Consumers not nested in another consumer of the job (a `receive` around a `process` is one attempt of work). */
export function outermostConsumers<T extends { spanId: string; parentSpanId: string | null }>(consumers: readonly T[]): T[] {
  const ids = new Set(consumers.map((c) => c.spanId));
  return consumers.filter((c) => c.parentSpanId === null || !ids.has(c.parentSpanId));
}

/**
 * Each outermost consumer's wait. Paired: its parent or a linked span is a producer of the job → from that
 * producer's end (the latest, if several). Otherwise the message was ready at the latest producer end or
 * earlier consumer end (a redelivery after a failed attempt) at or before the consumer's start; none → no wait.
 */
export function queueWaits(consumers: readonly ConsumerTiming[], producers: readonly ProducerTiming[]): QueueWait[] {
  const producerEnds = new Map(producers.map((p) => [p.spanId, p.endUnixNano]));
  const top = outermostConsumers(consumers);
  const waits: QueueWait[] = [];
  for (const c of top) {
    let ready: { at: bigint; from: string } | null = null;
    for (const ref of [c.parentSpanId, ...c.linkedSpanIds]) {
      const end = ref === null ? undefined : producerEnds.get(ref);
      if (end !== undefined && (ready === null || end > ready.at)) ready = { at: end, from: ref as string };
    }
    const paired = ready !== null;
    if (!paired) {
      const candidates = [...producers.map((p) => ({ at: p.endUnixNano, from: p.spanId })), ...top.filter((o) => o.spanId !== c.spanId).map((o) => ({ at: o.endUnixNano, from: o.spanId }))];
      for (const x of candidates) if (x.at <= c.startUnixNano && (ready === null || x.at > ready.at)) ready = x;
    }
    if (ready === null) continue;
    const waitNs = c.startUnixNano > ready.at ? c.startUnixNano - ready.at : 0n;
    waits.push({ consumerSpanId: c.spanId, readyUnixNano: ready.at, startUnixNano: c.startUnixNano, waitNs, fromSpanId: ready.from, paired });
  }
  return waits;
}

/** Sum of queue waits and of outermost consumer durations; null when nothing was there to sum. */
export function jobTimings(consumers: readonly ConsumerTiming[], producers: readonly ProducerTiming[]): JobTimings {
  const waits = queueWaits(consumers, producers);
  const top = outermostConsumers(consumers);
  return {
    queueNs: waits.length === 0 ? null : waits.reduce((sum, w) => sum + w.waitNs, 0n),
    workerNs: top.length === 0 ? null : top.reduce((sum, c) => sum + (c.endUnixNano - c.startUnixNano), 0n),
  };
}
