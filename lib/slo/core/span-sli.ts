/** Per-minute good/total contributions of ingested spans and finished jobs to each SLO, computed at ingest time. */
import type { SpanRow } from "../../telemetry/core/otlp/normalise-traces";
import type { AttributeMatcher, SloDefinition, SpanSelector } from "./definition";
import { labelRegexMatches } from "./label-regex";

export type SloRef = { id: string; definition: SloDefinition };
/** `minute` is the Unix minute (minutes since the epoch), as stored in slo_minute_rollups. */
export type SloContribution = { sloId: string; minute: number; good: number; total: number };

const NS_PER_MS = 1_000_000n;

/** Sums contributions per (SLO, minute), the unit in which rollups are stored. */
export class ContributionSums {
  private readonly byKey = new Map<string, SloContribution>();

  add(sloId: string, minute: number, good: number, total: number): void {
    const key = `${sloId}|${minute}`;
    const c = this.byKey.get(key) ?? { sloId, minute, good: 0, total: 0 };
    c.good += good;
    c.total += total;
    this.byKey.set(key, c);
  }

  values(): SloContribution[] {
    return [...this.byKey.values()];
  }
}
const NS_PER_MINUTE = 60_000_000_000n;

function minuteOfNs(ns: bigint): number {
  return Number(ns / NS_PER_MINUTE);
}

function attributeText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export function matchesAttribute(m: AttributeMatcher, attributes: Record<string, unknown>): boolean {
  const actual = attributeText(attributes[m.key]) ?? "";
  switch (m.op) {
    case "=":
      return actual === m.value;
    case "!=":
      return actual !== m.value;
    case "=~":
      return labelRegexMatches(m.value, actual);
    case "!~":
      return !labelRegexMatches(m.value, actual);
  }
}

export function matchesSelector(s: SpanSelector, span: SpanRow): boolean {
  if (span.serviceName !== s.service) return false;
  if (s.spanName !== undefined && span.name !== s.spanName) return false;
  if (s.route !== undefined && span.httpRoute !== s.route) return false;
  if (s.spanKind !== undefined && span.kind !== s.spanKind.toUpperCase()) return false;
  return s.attributes.every((m) => matchesAttribute(m, span.attributes));
}

/** Whether one matching span counts as good for a span-based SLI, or null when the SLI is not span-based. */
export function spanIsGood(sli: SloDefinition["sli"], span: SpanRow): boolean | null {
  if (sli.kind === "availability") {
    if (span.statusCode === "ERROR") return false;
    return !(sli.treat5xxAsError && span.httpStatusCode !== null && span.httpStatusCode >= 500);
  }
  if (sli.kind === "latency") return span.durationNs <= BigInt(Math.round(sli.thresholdMs * 1e6));
  return null;
}

/** A producer span's end, as stored earlier: lets queue wait pair consumers with producers of past batches. */
export type ProducerEnd = { spanId: string; endTimeUnixNano: bigint };

/** Span IDs (parent and links) of consumer spans on queue-wait SLO queues whose producer is not in this batch. */
export function producersToLookUp(slos: readonly SloRef[], spans: readonly SpanRow[]): { traceId: string; spanId: string }[] {
  const queues = new Set(slos.flatMap((s) => (s.definition.sli.kind === "queueWait" ? [s.definition.sli.destination] : [])));
  if (queues.size === 0) return [];
  const inBatch = new Set(spans.map((s) => s.spanId));
  const wanted = new Map<string, { traceId: string; spanId: string }>();
  for (const span of spans) {
    if (span.kind !== "CONSUMER" || !span.messagingDestinationName || !queues.has(span.messagingDestinationName)) continue;
    const candidates = [...(span.parentSpanId ? [{ traceId: span.traceId, spanId: span.parentSpanId }] : []), ...span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId }))];
    for (const c of candidates) if (!inBatch.has(c.spanId)) wanted.set(`${c.traceId}:${c.spanId}`, c);
  }
  return [...wanted.values()];
}

/**
 * Contributions of a batch of spans: availability and latency count each matching span in the
 * minute it ended; queue wait counts each consumer span of the queue whose producer span (its
 * parent or a link) is in the batch or in `storedProducers` (producer end → consumer start).
 */
export function spanContributions(slos: readonly SloRef[], spans: readonly SpanRow[], storedProducers: readonly ProducerEnd[] = []): SloContribution[] {
  const sums = new ContributionSums();
  const add = (sloId: string, atNs: bigint, good: boolean) => sums.add(sloId, minuteOfNs(atNs), good ? 1 : 0, 1);
  const producerEnds = new Map<string, bigint>(storedProducers.map((p) => [p.spanId, p.endTimeUnixNano]));
  for (const s of spans) if (s.kind === "PRODUCER") producerEnds.set(s.spanId, s.endTimeUnixNano);
  for (const { id, definition } of slos) {
    const sli = definition.sli;
    if (sli.kind === "availability" || sli.kind === "latency") {
      for (const span of spans) if (matchesSelector(sli.selector, span)) add(id, span.endTimeUnixNano, spanIsGood(sli, span) === true);
    } else if (sli.kind === "queueWait") {
      for (const span of spans) {
        if (span.kind !== "CONSUMER" || span.messagingDestinationName !== sli.destination) continue;
        const producerEnd = [span.parentSpanId, ...span.links.map((l) => l.spanId)].map((idOf) => (idOf ? producerEnds.get(idOf) : undefined)).find((end) => end !== undefined);
        if (producerEnd === undefined) continue;
        const waitNs = span.startTimeUnixNano - producerEnd;
        add(id, span.startTimeUnixNano, waitNs <= BigInt(Math.round(sli.thresholdMs)) * NS_PER_MS);
      }
    }
  }
  return sums.values();
}

export type FinishedJob = { jobId: string; firstSeenUnixNano: bigint; finishedUnixNano: bigint; succeeded: boolean; services: readonly string[]; queues: readonly string[] };

/** A job counts once, in the minute it finished: good when it succeeded within the threshold end to end. */
export function jobContributions(slos: readonly SloRef[], jobs: readonly FinishedJob[]): SloContribution[] {
  const sums = new ContributionSums();
  for (const { id, definition } of slos) {
    const sli = definition.sli;
    if (sli.kind !== "jobCompletion") continue;
    for (const job of jobs) {
      const service = sli.selector?.service ?? sli.service;
      if (service !== undefined && !job.services.includes(service)) continue;
      if (sli.queue !== undefined && !job.queues.includes(sli.queue)) continue;
      const e2eNs = job.finishedUnixNano - job.firstSeenUnixNano;
      const good = job.succeeded && e2eNs <= BigInt(Math.round(sli.thresholdMs)) * NS_PER_MS;
      sums.add(id, minuteOfNs(job.finishedUnixNano), good ? 1 : 0, 1);
    }
  }
  return sums.values();
}
