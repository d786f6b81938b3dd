// Realistic span batches for the ingest benchmark, as the SDK hands them to an exporter (ReadableSpan): jobs
// that pass API → queue → worker → DB, about ten attributes per span, a job ID on each, fresh IDs per batch.
import { randomBytes } from "node:crypto";
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

const SERVICES = ["bench-api", "bench-worker", "bench-gpu-worker"].map((name) => resourceFromAttributes({ "service.name": name, "service.version": "1.4.2", "deployment.environment.name": "bench", "host.name": "bench-host-1" }));
const scope = { name: "bench", version: "1.0.0" };
const hr = (ns: bigint): [number, number] => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

type Step = { name: string; kind: SpanKind; service: number; durationUs: number; attrs: (job: string, attempt: number) => Attributes };

// Five spans per job, ten attributes each on average.
const STEPS: Step[] = [
  { name: "POST /v1/jobs", kind: SpanKind.SERVER, service: 0, durationUs: 4_000, attrs: (job) => ({ "job.id": job, "http.request.method": "POST", "http.route": "/v1/jobs", "http.response.status_code": 202, "url.scheme": "http", "server.address": "api", "server.port": 8080, "user_agent.original": "bench/1.0", "client.address": "10.0.0.7", "tenant.id": "t-42" }) },
  { name: "jobs publish", kind: SpanKind.PRODUCER, service: 0, durationUs: 800, attrs: (job) => ({ "job.id": job, "messaging.system": "rabbitmq", "messaging.operation.type": "publish", "messaging.destination.name": "jobs", "messaging.message.id": `m-${job}`, "messaging.message.body.size": 512, "network.peer.address": "10.0.0.9", "network.peer.port": 5672, "server.address": "rabbitmq", "tenant.id": "t-42" }) },
  { name: "jobs process", kind: SpanKind.CONSUMER, service: 1, durationUs: 90_000, attrs: (job, attempt) => ({ "job.id": job, "job.attempt": attempt, "messaging.system": "rabbitmq", "messaging.operation.type": "process", "messaging.destination.name": "jobs", "messaging.message.id": `m-${job}`, "worker.id": "w-3", "model.name": "resnet-50", "batch.size": 8 }) },
  { name: "SELECT jobs", kind: SpanKind.CLIENT, service: 1, durationUs: 1_200, attrs: (job) => ({ "job.id": job, "db.system.name": "postgresql", "db.namespace": "app", "db.operation.name": "SELECT", "db.collection.name": "jobs", "db.query.text": "SELECT * FROM jobs WHERE id = $1", "server.address": "db", "server.port": 5432, "db.response.returned_rows": 1, "network.peer.address": "10.0.0.5" }) },
  { name: "gpu inference", kind: SpanKind.INTERNAL, service: 2, durationUs: 60_000, attrs: (job) => ({ "job.id": job, "gpu.index": 1, "gpu.memory.used_bytes": 7_516_192_768, "model.name": "resnet-50", "model.version": "3", "batch.size": 8, "inference.frames": 240, "cuda.stream": 2, "tensorrt.enabled": true, "precision": "fp16" }) },
];

let jobCounter = 0;

/** A batch of `size` spans (jobs of five spans each), ending now. */
export function makeBatch(size: number, nowNs = BigInt(Date.now()) * 1_000_000n): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  while (spans.length < size) {
    const job = `job-${process.pid}-${++jobCounter}`;
    const traceId = randomBytes(16).toString("hex");
    const attempt = 1 + (jobCounter % 7 === 0 ? 1 : 0);
    const failed = jobCounter % 50 === 0;
    let parent: string | undefined;
    for (const [i, step] of STEPS.entries()) {
      if (spans.length >= size) break;
      const spanId = randomBytes(8).toString("hex");
      const start = nowNs - BigInt(200_000 - i * 5_000) * 1_000n;
      const duration = BigInt(step.durationUs + (jobCounter % 13) * 100) * 1_000n;
      spans.push({
        name: step.name, kind: step.kind, spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
        parentSpanContext: parent === undefined ? undefined : { traceId, spanId: parent, traceFlags: TraceFlags.SAMPLED },
        startTime: hr(start), endTime: hr(start + duration), duration: hr(duration),
        status: failed && step.kind === SpanKind.CONSUMER ? { code: SpanStatusCode.ERROR, message: "CUDA out of memory" } : { code: SpanStatusCode.UNSET },
        attributes: step.attrs(job, attempt), links: [], events: [], ended: true,
        resource: SERVICES[step.service]!, instrumentationScope: scope, droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
      });
      parent = spanId;
    }
  }
  return spans;
}
