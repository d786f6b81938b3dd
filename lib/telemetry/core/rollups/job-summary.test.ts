import { describe, expect, it } from "vitest";
import { deriveJobUpdates, mergeJobSummary, spanToJobSummary, type JobSummary } from "./job-summary";
import type { SpanRow } from "../otlp/normalise-traces";
import { seededRandom } from "../../../random/seeded";

function span(over: Partial<SpanRow> & Pick<SpanRow, "spanId" | "startTimeUnixNano" | "endTimeUnixNano">): SpanRow {
  return {
    traceId: "5b8efff798038103d269b633813fc60c", parentSpanId: null, traceState: "", serviceName: "api", serviceVersion: null,
    scopeName: "", scopeVersion: "", name: "s", kind: "INTERNAL", statusCode: "UNSET", statusMessage: "",
    durationNs: over.endTimeUnixNano - over.startTimeUnixNano, attributes: {}, droppedAttributesCount: 0, resourceAttributes: {},
    events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, jobId: "job-1", jobAttempt: null,
    messagingSystem: null, messagingOperation: null, messagingDestinationName: null, messagingMessageId: null,
    httpMethod: null, httpRoute: null, httpStatusCode: null, ...over,
  };
}

describe("deriveJobUpdates", () => {
  it("API accept, publish, a failed attempt and a successful retry give one succeeded job with 2 attempts", () => {
    const spans = [
      span({ spanId: "a1", kind: "SERVER", startTimeUnixNano: 0n, endTimeUnixNano: 10n }),
      span({ spanId: "a2", kind: "PRODUCER", startTimeUnixNano: 5n, endTimeUnixNano: 6n }),
      span({ spanId: "w1", kind: "CONSUMER", serviceName: "worker", startTimeUnixNano: 100n, endTimeUnixNano: 200n, statusCode: "ERROR",
        events: [{ timeUnixNano: 150n, name: "exception", attributes: { "exception.message": "CUDA out of memory" }, droppedAttributesCount: 0 }] }),
      span({ spanId: "w2", kind: "CONSUMER", serviceName: "worker", startTimeUnixNano: 300n, endTimeUnixNano: 400n, traceId: "0af7651916cd43dd8448eb211c80319c" }),
      span({ spanId: "x1", jobId: null, startTimeUnixNano: 0n, endTimeUnixNano: 1n }),
    ];
    expect(deriveJobUpdates(spans)).toEqual([{
      jobId: "job-1", firstSeenUnixNano: 0n, lastSeenUnixNano: 400n, attempts: 2, maxJobAttempt: 0, consumerSpanIds: ["w1", "w2"],
      status: "succeeded", statusTimeUnixNano: 400n, services: ["api", "worker"],
      traceIds: ["0af7651916cd43dd8448eb211c80319c", "5b8efff798038103d269b633813fc60c"],
      errorMessage: "CUDA out of memory", errorTimeUnixNano: 200n,
      consumers: [
        { spanId: "w1", startUnixNano: 100n, endUnixNano: 200n, parentSpanId: null, linkedSpanIds: [] },
        { spanId: "w2", startUnixNano: 300n, endUnixNano: 400n, parentSpanId: null, linkedSpanIds: [] },
      ],
      producers: [{ spanId: "a2", endUnixNano: 6n }],
      // Neither consumer names its producer: w1 waited from the publish's end (6 → 100), w2 from w1's end (200 → 300).
      queueNs: 94n + 100n, workerNs: 100n + 100n, endToEndNs: 400n,
    }]);
  });

  it.each([
    ["job.status=dead_lettered", { attributes: { "job.status": "dead_lettered" } }, "failed"],
    ["job.status=completed on a non-consumer span", { attributes: { "job.status": "Completed" } }, "succeeded"],
    ["job.status=queued", { attributes: { "job.status": "queued" } }, "running"],
    ["a consumer span in error", { kind: "CONSUMER" as const, statusCode: "ERROR" as const }, "failed"],
    ["a process span (by messaging.operation) ending OK", { messagingOperation: "process" }, "succeeded"],
    ["a server span in error (the job itself may still run)", { kind: "SERVER" as const, statusCode: "ERROR" as const }, "running"],
  ])("%s → %s", (_case, over, status) => {
    expect(spanToJobSummary(span({ spanId: "s1", startTimeUnixNano: 0n, endTimeUnixNano: 1n, ...over }))?.status).toBe(status);
  });

  it("equals folding mergeJobSummary over each span's summary, for random batches (seeded)", () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let batch = 0; batch < 300; batch++) {
      const spans = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) => {
        const start = BigInt(Math.floor(random() * 1000));
        return span({
          spanId: `s${batch}-${i}`, jobId: pick(["job-1", "job-2", "job-3", null]), kind: pick(["SERVER", "PRODUCER", "CONSUMER", "CLIENT"] as const),
          parentSpanId: i > 0 && random() < 0.5 ? `s${batch}-${i - 1}` : null, serviceName: pick(["api", "worker"]), statusCode: pick(["UNSET", "OK", "ERROR"] as const),
          statusMessage: pick(["", "OOM"]), jobAttempt: pick([null, 1, 2]), startTimeUnixNano: start, endTimeUnixNano: start + BigInt(Math.floor(random() * 500)),
          messagingDestinationName: "jobs", links: random() < 0.3 ? [{ traceId: "t", spanId: `s${batch}-0`, traceState: "", attributes: {}, droppedAttributesCount: 0 }] : [],
        });
      });
      const folded = new Map<string, JobSummary>();
      for (const s of spans) {
        const single = spanToJobSummary(s);
        if (single === null) continue;
        const prev = folded.get(single.jobId);
        folded.set(single.jobId, prev === undefined ? single : mergeJobSummary(prev, single));
      }
      expect(deriveJobUpdates(spans)).toEqual([...folded.values()]);
    }
  });

  it("takes attempts from job.attempt when it is higher than the consumer spans seen", () => {
    const [job] = deriveJobUpdates([span({ spanId: "w3", kind: "CONSUMER", jobAttempt: 3, startTimeUnixNano: 0n, endTimeUnixNano: 1n })]);
    expect([job?.attempts, job?.maxJobAttempt]).toEqual([3, 3]);
  });
});

const summary = (over: Partial<JobSummary>): JobSummary => ({
  jobId: "job-1", firstSeenUnixNano: 100n, lastSeenUnixNano: 200n, attempts: 1, maxJobAttempt: 1, consumerSpanIds: [], status: "running",
  statusTimeUnixNano: 200n, services: ["api"], traceIds: [], errorMessage: null, errorTimeUnixNano: null,
  consumers: [], producers: [], queueNs: null, workerNs: null, endToEndNs: null, ...over,
});
const consumer = (spanId: string, start: bigint, end: bigint, parentSpanId: string | null = null, linkedSpanIds: string[] = []) => ({ spanId, startUnixNano: start, endUnixNano: end, parentSpanId, linkedSpanIds });

describe("mergeJobSummary", () => {
  it.each([
    ["min first seen, max last seen", summary({}), summary({ firstSeenUnixNano: 50n, lastSeenUnixNano: 150n }), { firstSeenUnixNano: 50n, lastSeenUnixNano: 200n }],
    ["services union, sorted", summary({ services: ["worker"] }), summary({ services: ["api", "worker"] }), { services: ["api", "worker"] }],
    ["max attempts", summary({ maxJobAttempt: 3, attempts: 3 }), summary({ maxJobAttempt: 2, attempts: 2 }), { attempts: 3, maxJobAttempt: 3 }],
    ["consumer spans counted once across batches", summary({ consumerSpanIds: ["w1"] }), summary({ consumerSpanIds: ["w1", "w2"], maxJobAttempt: 0 }), { attempts: 2, consumerSpanIds: ["w1", "w2"] }],
    ["terminal beats a later running", summary({ status: "failed", statusTimeUnixNano: 300n }), summary({ status: "running", statusTimeUnixNano: 900n }), { status: "failed", statusTimeUnixNano: 300n }],
    ["later terminal wins (retry succeeded)", summary({ status: "failed", statusTimeUnixNano: 300n }), summary({ status: "succeeded", statusTimeUnixNano: 500n }), { status: "succeeded", statusTimeUnixNano: 500n }],
    ["later terminal wins (earlier success arrives late)", summary({ status: "failed", statusTimeUnixNano: 500n }), summary({ status: "succeeded", statusTimeUnixNano: 300n }), { status: "failed", statusTimeUnixNano: 500n }],
    ["a tie goes to failed", summary({ status: "succeeded", statusTimeUnixNano: 500n }), summary({ status: "failed", statusTimeUnixNano: 500n }), { status: "failed" }],
    ["the latest error message is kept", summary({ errorMessage: "OOM", errorTimeUnixNano: 10n }), summary({ errorMessage: "timeout", errorTimeUnixNano: 20n }), { errorMessage: "timeout", errorTimeUnixNano: 20n }],
    ["end-to-end from the first span to the terminal status", summary({ firstSeenUnixNano: 100n }), summary({ firstSeenUnixNano: 150n, status: "succeeded", statusTimeUnixNano: 900n }), { endToEndNs: 800n }],
    ["no end-to-end while running", summary({ firstSeenUnixNano: 100n }), summary({ statusTimeUnixNano: 900n }), { endToEndNs: null }],
    ["consumer before its producer: the wait appears once the producer arrives",
      summary({ consumers: [consumer("c1", 500n, 800n, "p1")], workerNs: 300n }), summary({ producers: [{ spanId: "p1", endUnixNano: 120n }] }), { queueNs: 380n, workerNs: 300n }],
    ["a producer linked (not parent) pairs too", summary({ consumers: [consumer("c1", 500n, 800n, null, ["p1"])] }), summary({ producers: [{ spanId: "p1", endUnixNano: 200n }, { spanId: "p2", endUnixNano: 450n }] }), { queueNs: 300n }],
    ["two attempts, two publishes: waits add up", summary({ consumers: [consumer("c1", 200n, 300n, "p1")], producers: [{ spanId: "p1", endUnixNano: 150n }] }),
      summary({ consumers: [consumer("c2", 600n, 650n, "p2")], producers: [{ spanId: "p2", endUnixNano: 400n }] }), { queueNs: 50n + 200n, workerNs: 100n + 50n }],
    ["the same consumer in both batches counts once", summary({ consumers: [consumer("c1", 200n, 300n, "p1")], producers: [{ spanId: "p1", endUnixNano: 150n }] }),
      summary({ consumers: [consumer("c1", 200n, 300n, "p1")], producers: [{ spanId: "p1", endUnixNano: 150n }] }), { queueNs: 50n, workerNs: 100n }],
  ])("%s", (_case, prev, update, expected) => {
    expect(mergeJobSummary(prev, update)).toMatchObject(expected);
    expect(mergeJobSummary(update, prev)).toEqual(mergeJobSummary(prev, update));
  });

  it("is commutative, associative and idempotent over random summaries (seeded)", () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const randomSummary = (): JobSummary => {
      const first = BigInt(Math.floor(random() * 100));
      const error = random() < 0.5;
      return summary({
        firstSeenUnixNano: first, lastSeenUnixNano: first + BigInt(Math.floor(random() * 100)), maxJobAttempt: Math.floor(random() * 4),
        consumerSpanIds: [pick(["a", "b", "c"])], status: pick(["running", "failed", "succeeded"] as const), statusTimeUnixNano: BigInt(Math.floor(random() * 5)),
        services: [pick(["api", "worker", "db"])], errorMessage: error ? pick(["x", "y"]) : null, errorTimeUnixNano: error ? BigInt(Math.floor(random() * 3)) : null,
        // Span facts depend on the span ID alone (a span re-sent is the same span), as they do in real batches.
        consumers: random() < 0.6 ? [pick([consumer("a", 50n, 70n, "p"), consumer("b", 90n, 95n, "q", ["p"]), consumer("c", 60n, 99n, "a")])] : [],
        producers: random() < 0.5 ? [pick([{ spanId: "p", endUnixNano: 40n }, { spanId: "q", endUnixNano: 85n }, { spanId: "r", endUnixNano: 10n }])] : [],
      });
    };
    for (let i = 0; i < 2_000; i++) {
      const [a, b, c] = [randomSummary(), randomSummary(), randomSummary()];
      expect(mergeJobSummary(a, b)).toEqual(mergeJobSummary(b, a));
      expect(mergeJobSummary(mergeJobSummary(a, b), c)).toEqual(mergeJobSummary(a, mergeJobSummary(b, c)));
      const ab = mergeJobSummary(a, b);
      expect(mergeJobSummary(ab, b)).toEqual(ab);
    }
  });
});
