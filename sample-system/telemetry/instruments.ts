// Every metric the sample system records, in one place: semantic-convention names where one
// exists (HTTP, messaging, DB pool, GPU), `sample.*` for the rest.
import { ATTR } from "./attributes";
import type { InstrumentDef } from "./dual-meter";

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const MESSAGING = [ATTR.messagingSystem, ATTR.messagingDestination] as const;

export const METRICS = {
  httpDuration: { name: "http.server.request.duration", description: "Duration of HTTP server requests", unit: "s", labels: [ATTR.httpMethod, ATTR.httpRoute, ATTR.httpStatus], boundaries: SECONDS },
  httpActive: { name: "http.server.active_requests", description: "HTTP requests in flight", unit: "{request}", labels: [] },
  sent: { name: "messaging.client.sent.messages", description: "Messages published (enqueues, retries, dead letters)", unit: "{message}", labels: [...MESSAGING, ATTR.messagingOperationName] },
  consumed: { name: "messaging.client.consumed.messages", description: "Messages delivered to workers", unit: "{message}", labels: [...MESSAGING] },
  processDuration: { name: "messaging.process.duration", description: "Time a worker spent on one delivery", unit: "s", labels: [...MESSAGING, ATTR.outcome], boundaries: SECONDS },
  acks: { name: "sample.queue.acks", description: "Deliveries acknowledged, by outcome (succeeded, retried, dead_lettered, duplicate)", unit: "{message}", labels: [ATTR.messagingDestination, ATTR.outcome] },
  redeliveries: { name: "sample.queue.redeliveries", description: "Deliveries of a job after its first (retries and broker redeliveries)", unit: "{message}", labels: [ATTR.messagingDestination] },
  queueDepth: { name: "sample.queue.depth", description: "Messages ready in a queue", unit: "{message}", labels: [ATTR.messagingDestination] },
  retryDepth: { name: "sample.queue.retry.depth", description: "Messages waiting out a retry delay", unit: "{message}", labels: [ATTR.messagingDestination] },
  dlqSize: { name: "sample.queue.dlq.size", description: "Messages in the dead-letter queue", unit: "{message}", labels: [ATTR.messagingDestination] },
  rejections: { name: "sample.api.rejections", description: "Requests refused before any work: rate_limited, backpressure, timeout", unit: "{request}", labels: [ATTR.outcome] },
  busySlots: { name: "sample.worker.busy_slots", description: "GPU slots busy with inference", unit: "{slot}", labels: [ATTR.workerId] },
  slotWait: { name: "sample.worker.slot.wait_time", description: "Wait for a free GPU slot", unit: "s", labels: [ATTR.workerId], boundaries: SECONDS },
  gpuUtilization: { name: "hw.gpu.utilization", description: "Busy share of a worker's GPU slots", unit: "1", labels: [ATTR.gpuId] },
  gpuMemory: { name: "hw.gpu.memory.usage", description: "Simulated GPU memory in use", unit: "By", labels: [ATTR.gpuId] },
  gpuMemoryLimit: { name: "hw.gpu.memory.limit", description: "Simulated GPU memory size", unit: "By", labels: [ATTR.gpuId] },
  inferenceDuration: { name: "sample.inference.duration", description: "Simulated inference time", unit: "s", labels: [ATTR.workerId], boundaries: SECONDS },
  downstream: { name: "sample.downstream.requests", description: "Calls to the downstream feature store, by outcome", unit: "{request}", labels: [ATTR.peerService, ATTR.outcome] },
  jobCompletion: { name: "sample.job.completion.duration", description: "From the API's accept to the final result", unit: "s", labels: [ATTR.outcome], boundaries: SECONDS },
  jobAttempts: { name: "sample.job.attempts", description: "Attempts a job needed, recorded when it finishes", unit: "{attempt}", labels: [ATTR.outcome], boundaries: [1, 2, 3, 4, 5, 6, 8, 10] },
  poolUsage: { name: "db.client.connection.count", description: "Pool connections by state (used, idle)", unit: "{connection}", labels: [ATTR.dbPoolName, ATTR.dbPoolState] },
  poolMax: { name: "db.client.connection.max", description: "Pool size", unit: "{connection}", labels: [ATTR.dbPoolName] },
  poolPending: { name: "db.client.connection.pending_requests", description: "Callers waiting for a pool connection", unit: "{request}", labels: [ATTR.dbPoolName] },
  poolWait: { name: "db.client.connection.wait_time", description: "Time to obtain a pool connection", unit: "s", labels: [ATTR.dbPoolName], boundaries: SECONDS },
  poolTimeouts: { name: "db.client.connection.timeouts", description: "Pool acquisitions that timed out", unit: "{timeout}", labels: [ATTR.dbPoolName] },
  dbDuration: { name: "db.client.operation.duration", description: "Duration of database operations", unit: "s", labels: [ATTR.dbSystem, ATTR.dbOperation, ATTR.dbCollection], boundaries: SECONDS },
  cacheRequests: { name: "sample.cache.requests", description: "Result cache lookups by result (hit, miss)", unit: "{request}", labels: [ATTR.cacheResult] },
  cacheHitRatio: { name: "sample.cache.hit_ratio", description: "Hits over lookups in the last 60 s", unit: "1", labels: [] },
} satisfies Record<string, InstrumentDef | (InstrumentDef & { boundaries: number[] })>;
