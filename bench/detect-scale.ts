// Times one detection pass at scale: a synthetic system of services, queues and caller → dependency pairs seeded as the
// write path stores it (flow rollups, span rollups, metric minute aggregates, spans and the job index), then the engine's
// signals.detect job run pass after pass (read snapshot → detect → write signal transitions), against a plain SQL
// aggregate over the same flow rollup rows measured in the same run.
//
//   npm run bench:detect-scale -- [--db pglite|postgres] [--services 500] [--queues 200] [--pairs 1000] [--passes 6]
//     [--job-minutes 12] [--saturating 5] [--storms 3] [--cpu-profile detect.cpuprofile]
//
// Most queues are healthy; `--saturating` queues get twice the arrivals their workers can take from 8 minutes before the
// first pass, and `--storms` workers see their calls to one dependency fail from 4 minutes before it, retried at once.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { engineJobs, type EngineAppContext } from "../engine/catalog";
import { loadConfig } from "../lib/config/env";
import type { Database } from "../lib/db/client";
import { openBenchDatabase } from "./target-database";
import { applyMigrations } from "../lib/db/migrations";
import type { SqlRunner } from "../lib/db/sql-runner";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { seededRandom } from "../lib/random/seeded";
import { DETECTION_STEP_SECONDS } from "../lib/signals/store/signals";
import { HISTORY_MINUTES } from "../lib/signals/core/window-index";
import { rowToMinuteAggregate, type MinuteAggregate } from "../lib/telemetry/core/metrics/minute-aggregate";
import { durationBucketIndex, emptyDurationBuckets } from "../lib/telemetry/core/metrics/duration-buckets";
import type { GaugePointRow } from "../lib/telemetry/core/otlp/metric-rows";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { FLOW_BUCKET_SECONDS, type FlowRollup } from "../lib/telemetry/core/rollups/flow-rollup";
import { deriveJobUpdates } from "../lib/telemetry/core/rollups/job-summary";
import type { SpanRollup } from "../lib/telemetry/core/rollups/span-rollup";
import { upsertFlowRollups } from "../lib/telemetry/write/flow";
import { upsertJobs, withQueues } from "../lib/telemetry/write/jobs";
import { mergeMetricAggregates } from "../lib/telemetry/write/metrics";
import { dayOfNs, PartitionCache } from "../lib/telemetry/write/partitions";
import { insertSpans, upsertSpanRollups } from "../lib/telemetry/write/spans";
import { hexId, traceRequest, type SpanSpec } from "../tests/helpers/telemetry-fixtures";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const BACKEND = arg("db", "pglite");
const SERVICES = Number(arg("services", "500"));
const QUEUES = Number(arg("queues", "200"));
const PAIRS = Number(arg("pairs", "1000"));
const PASSES = Math.max(1, Number(arg("passes", "6")));
/** Minutes of jobs (spans and job index rows) before the last pass: the detectors read the newest 10 (retried, running jobs). */
const JOB_MINUTES = Number(arg("job-minutes", "12"));
const SATURATING = Number(arg("saturating", "5"));
const STORMS = Number(arg("storms", "3"));
const CPU_PROFILE = arg("cpu-profile", "");
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (SERVICES <= QUEUES) throw new Error("--services must exceed --queues: every queue has its own consumer and the rest publish and call");

const NS = 1_000_000_000n;
const CACHE_PAIRS = Math.min(25, Math.floor(PAIRS / 40));
const config = (() => {
  const parsed = loadConfig({ NODE_ENV: "production" });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.config;
})();
const LAG_SECONDS = config.TAILGUARD_DETECTION_LAG_SECONDS;
// The windows of pass i end at FIRST_END + 10 s × i; seeded data reaches the last one.
const LAST_END = Math.floor(Date.now() / 1000 / FLOW_BUCKET_SECONDS) * FLOW_BUCKET_SECONDS - 60;
const FIRST_END = LAST_END - DETECTION_STEP_SECONDS * (PASSES - 1);
const SEED_FROM = FIRST_END - (HISTORY_MINUTES + 2) * 60;
const SATURATION_FROM = FIRST_END - 8 * 60;
const STORM_FROM = FIRST_END - 4 * 60;
const nowOfPass = (i: number) => new Date((FIRST_END + DETECTION_STEP_SECONDS * i + LAG_SECONDS + 5) * 1000);

// The synthetic system. Queue q is consumed by service q and published by one of the services past the queues;
// half the pairs are workers calling dependencies once per attempt, the other half services calling workers (some caches).
const pad = (n: number) => String(n).padStart(3, "0");
const service = (i: number) => `svc-${pad(i)}`;
const queueName = (q: number) => `queue-${pad(q)}`;
const spread = (count: number, of: number) => Array.from({ length: Math.min(count, of) }, (_, k) => Math.floor((of * (k + 0.5)) / count));
const saturating = new Set(spread(SATURATING, QUEUES));
const storming = new Set(spread(STORMS, QUEUES).map((q) => (saturating.has(q) ? (q + 1) % QUEUES : q)));

type Queue = { q: number; name: string; consumer: string; publisher: string; ratePerMin: number; serviceTimeMs: number; workers: number };
const queues: Queue[] = Array.from({ length: QUEUES }, (_, q) => {
  const ratePerMin = 20 + ((q * 37) % 61);
  const serviceTimeMs = 200 + ((q * 53) % 1200);
  // Sized for about 55 % utilisation, as a team would run it.
  const workers = Math.max(2, Math.ceil((ratePerMin * serviceTimeMs) / 60_000 / 0.55));
  return { q, name: queueName(q), consumer: service(q), publisher: service(QUEUES + (q % (SERVICES - QUEUES))), ratePerMin, serviceTimeMs, workers };
});

type Pair = { caller: string; dependency: string; queue: Queue | null; ratePerMin: number; cache: boolean; storm: boolean };
const pairs: Pair[] = (() => {
  const out = new Map<string, Pair>();
  const workerPairs = Math.floor(PAIRS / 2);
  for (let p = 0; out.size < PAIRS && p < PAIRS * 4; p++) {
    let pair: Pair;
    if (p < workerPairs) {
      const queue = queues[p % QUEUES] as Queue;
      const j = Math.floor(p / QUEUES);
      pair = { caller: queue.consumer, dependency: `dep-${pad((queue.q * 3 + j * 7) % 150)}`, queue, ratePerMin: 0, cache: false, storm: j === 0 && storming.has(queue.q) };
    } else {
      const a = (p - workerPairs) % (SERVICES - QUEUES);
      const j = Math.floor((p - workerPairs) / (SERVICES - QUEUES));
      const cache = p - workerPairs < CACHE_PAIRS;
      const dependency = cache ? `cache-${pad(a % 10)}` : service((a * 7 + j * 13) % QUEUES);
      pair = { caller: service(QUEUES + a), dependency, queue: null, ratePerMin: 30 + ((p * 29) % 120), cache, storm: false };
    }
    out.set(`${pair.caller}>${pair.dependency}`, out.get(`${pair.caller}>${pair.dependency}`) ?? pair);
  }
  return [...out.values()];
})();
/** Requests per minute a non-worker service serves. */
const servedPerMin = (a: number) => 60 + ((a * 17) % 120);
const POOL_SERVICES = Array.from({ length: Math.floor(SERVICES / 10) }, (_, k) => service(k * 10));

const random = seededRandom(15);
/** A count for one bucket or minute: the rate with ±10 % noise, rounded. */
const noisy = (mean: number) => Math.max(0, Math.round(mean * (0.9 + 0.2 * random())));

/** What queue q does in the bucket or minute starting at `atS`: jobs published, first attempts and all attempts consumed. */
function queueLoad(queue: Queue, atS: number, seconds: number): { published: number; original: number; attempts: number; failed: number } {
  const share = seconds / 60;
  const saturated = saturating.has(queue.q) && atS >= SATURATION_FROM;
  const published = noisy(queue.ratePerMin * share * (saturated ? 2 : 1));
  // A saturated queue's workers take what they can (its usual rate); the rest waits in the queue.
  const original = noisy(queue.ratePerMin * share);
  const storm = storming.has(queue.q) && atS >= STORM_FROM;
  // In a storm every job fails twice at the dependency and is retried at once.
  return { published, original, attempts: storm ? original * 3 : original, failed: storm ? original * 2 : 0 };
}

function flowsOfBucket(bucket: number): FlowRollup[] {
  const rows: FlowRollup[] = [];
  const row = (flow: FlowRollup["flow"], svc: string, target: string, count: number, errorCount: number, retryCount: number, durationSumNs: number, missCount = 0) => {
    if (count > 0) rows.push({ bucket, flow, service: svc, target, count, errorCount, retryCount, durationSumNs, missCount });
  };
  const loads = new Map<number, ReturnType<typeof queueLoad>>();
  for (const queue of queues) {
    const load = queueLoad(queue, bucket, FLOW_BUCKET_SECONDS);
    loads.set(queue.q, load);
    row("publish", queue.publisher, queue.name, load.published, 0, 0, load.published * 3e6);
    const busyNs = load.original * queue.serviceTimeMs * 1e6 + load.failed * 20e6;
    row("consume", queue.consumer, queue.name, load.attempts, load.failed, load.attempts - load.original, busyNs);
  }
  // Services that are not workers serve requests (SERVER spans), which is what their calls are judged against.
  for (let a = QUEUES; a < SERVICES; a++) {
    const served = noisy((servedPerMin(a) * FLOW_BUCKET_SECONDS) / 60);
    row("serve", service(a), `POST /v1/${service(a)}`, served, 0, 0, served * 40e6);
  }
  for (const pair of pairs) {
    if (pair.queue !== null) {
      const load = loads.get(pair.queue.q) as ReturnType<typeof queueLoad>;
      row("call", pair.caller, pair.dependency, load.attempts, pair.storm ? load.failed : 0, 0, load.attempts * 8e6);
      continue;
    }
    const calls = noisy((pair.ratePerMin * FLOW_BUCKET_SECONDS) / 60);
    row("call", pair.caller, pair.dependency, calls, 0, 0, calls * 2e6);
    if (pair.cache) row("lookup", pair.caller, pair.dependency, calls, 0, 0, calls * 2e6, Math.round(calls * 0.1));
  }
  return rows;
}

function gauge(name: string, svc: string, minute: number, value: number, attributes: Record<string, string>): GaugePointRow {
  return {
    kind: "gauge", name, unit: "1", description: "", serviceName: svc, scopeName: "bench", resourceAttributes: { "service.name": svc },
    attributes, droppedAttributesCount: 0, startTimeUnixNano: null, timeUnixNano: BigInt(minute * 60 + 30) * NS, value,
  };
}

/** One minute of the metrics the detectors know by name: queue depth, worker utilisation per worker, connection pools. */
function metricsOfMinute(minute: number): MinuteAggregate[] {
  const atS = minute * 60;
  const points: GaugePointRow[] = [];
  for (const queue of queues) {
    const saturated = saturating.has(queue.q) && atS + 30 >= SATURATION_FROM;
    const backlog = saturated ? queue.ratePerMin * ((atS + 30 - SATURATION_FROM) / 60) : 0;
    points.push(gauge("messaging.queue.depth", queue.consumer, minute, Math.round(2 + 6 * random() + backlog), { "messaging.destination.name": queue.name, "messaging.system": "rabbitmq" }));
    const utilisation = saturated ? 0.99 : Math.min(0.9, (queue.ratePerMin * queue.serviceTimeMs) / 60_000 / queue.workers);
    for (let w = 0; w < queue.workers; w++) {
      points.push(gauge("worker.utilization", queue.consumer, minute, Math.min(1, utilisation * (0.95 + 0.1 * random())), { "worker.id": `${queue.consumer}-${w}` }));
    }
  }
  for (const svc of POOL_SERVICES) {
    const pool = { "db.client.connection.pool.name": "main" };
    points.push(
      gauge("db.client.connection.wait_time", svc, minute, 0.001 + 0.002 * random(), pool),
      gauge("db.client.connection.pending_requests", svc, minute, 0, pool),
      gauge("db.client.connection.count", svc, minute, 3 + Math.round(2 * random()), { ...pool, "db.client.connection.state": "used" }),
      gauge("db.client.connection.count", svc, minute, 5, { ...pool, "db.client.connection.state": "idle" }),
      gauge("db.client.connection.max", svc, minute, 10, pool),
    );
  }
  return points.map((p) => rowToMinuteAggregate(p) as MinuteAggregate);
}

/** One minute of span rollups: CONSUMER per queue (the latency knee reads these), PRODUCER per queue, CLIENT per pair. */
function spanRollupsOfMinute(minute: number): SpanRollup[] {
  const lastEndNs = BigInt(minute * 60 + 59) * NS;
  const rollup = (svc: string, name: string, kind: string, count: number, errorCount: number, typicalMs: number): SpanRollup => {
    const buckets = emptyDurationBuckets();
    // 80 % at the typical duration, 15 % at 1.5×, 4 % at 3×, 1 % at 6×.
    const shares: [number, number][] = [[0.8, 1], [0.15, 1.5], [0.04, 3], [0.01, 6]];
    let durationSumNs = 0;
    for (const [share, factor] of shares) {
      const n = Math.round(count * share);
      buckets[durationBucketIndex(typicalMs * factor * 1e6)]! += n;
      durationSumNs += n * typicalMs * factor * 1e6;
    }
    return { minute, service: svc, name, kind, count, errorCount, durationSumNs, durationMaxNs: BigInt(Math.round(typicalMs * 6e6)), lastEndNs, buckets };
  };
  const out: SpanRollup[] = [];
  for (const queue of queues) {
    const load = queueLoad(queue, minute * 60, 60);
    if (load.attempts > 0) out.push(rollup(queue.consumer, `${queue.name} process`, "CONSUMER", load.attempts, load.failed, queue.serviceTimeMs));
    if (load.published > 0) out.push(rollup(queue.publisher, `${queue.name} publish`, "PRODUCER", load.published, 0, 3));
  }
  for (const pair of pairs) {
    const count = pair.queue ? queueLoad(pair.queue, minute * 60, 60).attempts : noisy(pair.ratePerMin);
    if (count > 0) out.push(rollup(pair.caller, `GET ${pair.dependency}`, "CLIENT", count, 0, pair.queue ? 8 : 2));
  }
  // One rollup per key: a pair's caller may repeat a (service, name) another pair uses.
  return [...new Map(out.map((r) => [`${r.service}\u0000${r.name}\u0000${r.kind}`, r])).values()];
}

let traceCounter = 0;
let spanCounter = 0;

/** One minute of jobs on every queue as spans: a publish, then each consumer attempt; a job still queued or in flight has no consumer span yet. */
function jobSpansOfMinute(minute: number): SpanSpec[] {
  const specs: SpanSpec[] = [];
  for (const queue of queues) {
    const atS = minute * 60;
    const saturated = saturating.has(queue.q) && atS >= SATURATION_FROM;
    const storm = storming.has(queue.q) && atS >= STORM_FROM;
    const jobs = noisy(queue.ratePerMin * (saturated ? 2 : 1));
    const messaging = { "messaging.system": "rabbitmq", "messaging.destination.name": queue.name };
    for (let i = 0; i < jobs; i++) {
      const jobId = `job-${queue.q}-${minute}-${i}`;
      const traceId = hexId(32, ++traceCounter);
      const publishNs = BigInt(Math.round((atS + ((i + 0.5) * 60) / jobs) * 1e9));
      specs.push({ service: queue.publisher, traceId, spanId: hexId(16, ++spanCounter), name: `${queue.name} publish`, kind: 4, startNs: publishNs, durationMs: 3, attributes: { "job.id": jobId, "job.attempt": 1, "messaging.operation.type": "send", ...messaging } });
      // Every second job of a saturated queue is still waiting.
      if (saturated && i % 2 === 1) continue;
      let startNs = publishNs + 200_000_000n;
      const attempts = storm ? 3 : 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const failed = attempt < attempts;
        const durationMs = failed ? 20 : queue.serviceTimeMs;
        if (startNs + BigInt(durationMs) * 1_000_000n > BigInt(LAST_END) * NS) break;
        specs.push({ service: queue.consumer, traceId, spanId: hexId(16, ++spanCounter), name: `${queue.name} process`, kind: 5, startNs, durationMs, error: failed, attributes: { "job.id": jobId, "job.attempt": attempt, "messaging.operation.type": "process", ...messaging } });
        startNs += BigInt(durationMs + 5) * 1_000_000n;
      }
    }
  }
  return specs;
}

function progress(line: string): void {
  process.stderr.write(`[bench:detect-scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function seed(db: Database): Promise<{ flowRows: number; metricRows: number; spanRollupRows: number; spans: number; jobs: number }> {
  const buckets: number[] = [];
  for (let b = SEED_FROM; b < LAST_END; b += FLOW_BUCKET_SECONDS) buckets.push(b);
  let flowRows = 0;
  for (let i = 0; i < buckets.length; i += 6) {
    const rows = buckets.slice(i, i + 6).flatMap(flowsOfBucket);
    await db.sql.transaction((tx) => upsertFlowRollups(tx, rows));
    flowRows += rows.length;
    if ((i / 6) % 5 === 4 || i + 6 >= buckets.length) progress(`flow rollups: ${Math.min(i + 6, buckets.length)}/${buckets.length} buckets, ${flowRows.toLocaleString("en")} rows`);
  }

  const minutes: number[] = [];
  for (let m = Math.floor(SEED_FROM / 60); m <= Math.floor(LAST_END / 60); m++) minutes.push(m);
  let metricRows = 0;
  let spanRollupRows = 0;
  for (let i = 0; i < minutes.length; i += 5) {
    const chunk = minutes.slice(i, i + 5);
    const aggregates = chunk.flatMap(metricsOfMinute);
    const rollups = chunk.flatMap(spanRollupsOfMinute);
    await db.sql.transaction(async (tx) => {
      await mergeMetricAggregates(tx, aggregates);
      await upsertSpanRollups(tx, rollups);
    });
    metricRows += aggregates.length;
    spanRollupRows += rollups.length;
    progress(`metric minutes and span rollups: ${Math.min(i + 5, minutes.length)}/${minutes.length} minutes, ${metricRows.toLocaleString("en")} + ${spanRollupRows.toLocaleString("en")} rows`);
  }

  const partitions = new PartitionCache(db.sql);
  const nowUnixNano = BigInt(LAST_END + 120) * NS;
  let spans = 0;
  let jobs = 0;
  const firstJobMinute = Math.floor(LAST_END / 60) - JOB_MINUTES;
  for (let m = firstJobMinute; m <= Math.floor(LAST_END / 60); m++) {
    const rows = normaliseTraces(traceRequest(jobSpansOfMinute(m)), { nowUnixNano }).spans;
    await partitions.ensure("spans", rows.map((s) => dayOfNs(s.startTimeUnixNano)));
    // What the writer does for a batch, minus the rollups (seeded above for the whole load).
    const updates = withQueues(deriveJobUpdates(rows), rows);
    await db.sql.transaction(async (tx) => {
      await insertSpans(tx, rows);
      await upsertJobs(tx, updates);
    });
    spans += rows.length;
    jobs += updates.length;
    progress(`jobs: minute ${m - firstJobMinute + 1}/${JOB_MINUTES + 1}, ${jobs.toLocaleString("en")} jobs, ${spans.toLocaleString("en")} spans`);
  }
  await db.sql.exec("ANALYZE flow_rollups; ANALYZE metric_minute_aggregates; ANALYZE span_minute_rollups; ANALYZE jobs; ANALYZE spans");
  return { flowRows, metricRows, spanRollupRows, spans, jobs };
}


type PassMarks = { start: number; lastReadQueryEnd: number; writeStart: number | null; statements: Map<string, { ms: number; calls: number; rows: number }> };

/**
 * The database as the engine sees it, with two marks per pass: when the last raw SQL query (the snapshot read) returned
 * before the pass first touched the signals table, and when it did. Read is start → the first mark, detect the first →
 * the second (with the snapshot's last few lines of JS), write the rest.
 */
function instrument(db: Database, marks: PassMarks): Database {
  const timed = (sql: SqlRunner): SqlRunner => ({
    ...sql,
    async query<T>(text: string, params?: unknown[]) {
      const start = performance.now();
      const rows = await sql.query<T>(text, params);
      if (marks.writeStart === null) {
        marks.lastReadQueryEnd = performance.now();
        const key = text.replace(/\s+/g, " ").slice(0, 60);
        const s = marks.statements.get(key) ?? { ms: 0, calls: 0, rows: 0 };
        marks.statements.set(key, { ms: s.ms + marks.lastReadQueryEnd - start, calls: s.calls + 1, rows: s.rows + rows.length });
      }
      return rows;
    },
    transaction: (fn) => sql.transaction((tx) => fn(timed(tx))),
  });
  const prisma = new Proxy(db.prisma, {
    get(target, prop) {
      if (prop === "signal" && marks.writeStart === null) marks.writeStart = performance.now();
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ...db, sql: timed(db.sql), prisma };
}

type Pass = { ms: number; readMs: number; detectMs: number; writeMs: number; opened: number; updated: number; resolved: number; candidates: number };

async function runPasses(db: Database): Promise<Pass[]> {
  const job = engineJobs.find((j) => j.name === "signals.detect");
  if (!job) throw new Error("the engine has no signals.detect job");
  let summary: Record<string, unknown> = {};
  const logger = createLogger({
    level: "debug",
    sink: (line) => {
      const entry = JSON.parse(line) as { msg: string } & Record<string, unknown>;
      if (entry.msg === "signals changed" || entry.msg === "detection pass") summary = entry;
    },
  });
  const app: EngineAppContext = { config, metrics: createMetrics(), sessionKey: "bench-session-key-0123456789abcdef0123456789", logger };
  const marks: PassMarks = { start: 0, lastReadQueryEnd: 0, writeStart: null, statements: new Map() };
  const engineDb = instrument(db, marks);
  const passes: Pass[] = [];
  for (let i = 0; i < PASSES; i++) {
    summary = {};
    Object.assign(marks, { start: performance.now(), lastReadQueryEnd: 0, writeStart: null, statements: new Map() });
    await job.run({ db: engineDb, logger, now: nowOfPass(i), instanceId: "bench", isLeader: true, app });
    const end = performance.now();
    const writeStart = marks.writeStart ?? end;
    const pass: Pass = {
      ms: end - marks.start, readMs: marks.lastReadQueryEnd - marks.start, detectMs: writeStart - marks.lastReadQueryEnd, writeMs: end - writeStart,
      opened: Number(summary.opened ?? 0), updated: Number(summary.updated ?? 0), resolved: Number(summary.resolved ?? 0), candidates: Number(summary.candidates ?? 0),
    };
    passes.push(pass);
    sampleMemory();
    progress(
      `pass ${i + 1}/${PASSES}: ${pass.ms.toFixed(0)} ms (read ${pass.readMs.toFixed(0)}, detect ${pass.detectMs.toFixed(0)}, write ${pass.writeMs.toFixed(0)}); ` +
        `${pass.candidates} positive, ${pass.opened} opened, ${pass.updated} updated, ${pass.resolved} resolved; positive: ${String(summary.positive ?? "")}`,
    );
    // Where the read went, by statement (the query and decoding its rows, as the snapshot awaits each in turn).
    const slowest = [...marks.statements].sort(([, a], [, b]) => b.ms - a.ms).slice(0, 4);
    progress(`  read: ${slowest.map(([sql, s]) => `${s.ms.toFixed(0)} ms in ${s.calls}× "${sql}…" (${s.rows.toLocaleString("en")} rows)`).join("; ")}`);
  }
  return passes;
}

/** What any pass must at least read: the history's flow rollups summed per key and sliding window, in SQL. */
async function flowAggregate(sql: SqlRunner, end: number): Promise<number> {
  const rows = await sql.query(
    `SELECT flow, service, target, ($2::int - 1 - bucket) / 60 AS window_k, sum(count)::float8 AS count, sum(error_count)::float8 AS errors,
            sum(retry_count)::float8 AS retries, sum(duration_sum_ns) AS duration_ns, sum(miss_count)::float8 AS misses
     FROM flow_rollups WHERE bucket >= $1 AND bucket < $2 GROUP BY 1, 2, 3, 4`,
    [end - HISTORY_MINUTES * 60 - 60, end],
  );
  return rows.length;
}

const peak = { rss: 0, heapUsed: 0 };
function sampleMemory(): void {
  const m = process.memoryUsage();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const MiB = (bytes: number) => Number((bytes / 2 ** 20).toFixed(0));

async function main(): Promise<void> {
  const { db, cleanup } = await openBenchDatabase(BACKEND, "detect-scale", POSTGRES_ADMIN_URL);
  try {
    await applyMigrations(db.sql);
    progress(`${BACKEND}: ${SERVICES} services, ${QUEUES} queues (${[...saturating].map(queueName).join(", ")} saturating), ${pairs.length} caller → dependency pairs ` +
      `(storms: ${pairs.filter((p) => p.storm).map((p) => `${p.caller}->${p.dependency}`).join(", ")}), ${CACHE_PAIRS} caches, ${POOL_SERVICES.length} db pools`);
    const seedStart = performance.now();
    const seeded = await seed(db);
    const seedMs = performance.now() - seedStart;
    const windowRows = Number((await db.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM flow_rollups WHERE bucket >= $1 AND bucket < $2", [FIRST_END - HISTORY_MINUTES * 60 - 60, FIRST_END]))[0]!.n);
    console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s: ${seeded.flowRows.toLocaleString("en")} flow rollups (${windowRows.toLocaleString("en")} in one pass's window), ` +
      `${seeded.metricRows.toLocaleString("en")} metric minutes, ${seeded.spanRollupRows.toLocaleString("en")} span rollups, ${seeded.jobs.toLocaleString("en")} jobs, ${seeded.spans.toLocaleString("en")} spans`);

    global.gc?.();
    Object.assign(peak, { rss: 0, heapUsed: 0 });
    sampleMemory();
    const sampler = setInterval(sampleMemory, 5);
    const session = CPU_PROFILE ? new Session() : null;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
    }
    const passes = await runPasses(db);
    if (session) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(CPU_PROFILE, JSON.stringify(profile));
      session.disconnect();
      progress(`CPU profile of the passes written to ${CPU_PROFILE}`);
    }
    clearInterval(sampler);
    sampleMemory();

    const sql: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await flowAggregate(db.sql, LAST_END);
      sql.push(performance.now() - start);
    }
    const steady = passes.length > 2 ? passes.slice(2) : passes;
    const typical = steady.find((p) => p.ms === median(steady.map((s) => s.ms))) as Pass;
    const baselineSqlMs = median(sql);
    const signalsOpened = passes.reduce((n, p) => n + p.opened, 0);
    const open = Number((await db.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM signals WHERE phase = 'open'"))[0]!.n);
    console.log(`first pass (creates pending signals): ${passes[0]!.ms.toFixed(0)} ms; second (opens them): ${(passes[1] ?? passes[0]!).ms.toFixed(0)} ms`);
    console.log(`steady pass (median of ${steady.length}): ${typical.ms.toFixed(0)} ms = read ${typical.readMs.toFixed(0)} + detect ${typical.detectMs.toFixed(0)} + write ${typical.writeMs.toFixed(0)} ms`);
    console.log(`signals opened: ${signalsOpened} (${open} open now); peak during the passes: RSS ${MiB(peak.rss)} MiB, heap used ${MiB(peak.heapUsed)} MiB; process peak RSS ${MiB(process.resourceUsage().maxRSS * 1024)} MiB`);
    console.log(`plain SQL aggregate over the same flow rollups (median of 3): ${baselineSqlMs.toFixed(0)} ms; pass / SQL = ${(typical.ms / baselineSqlMs).toFixed(2)}×`);
    console.log(JSON.stringify({
      db: BACKEND, services: SERVICES, queues: QUEUES, pairs: pairs.length,
      passMs: Math.round(typical.ms), readMs: Math.round(typical.readMs), detectMs: Math.round(typical.detectMs), writeMs: Math.round(typical.writeMs),
      baselineSqlMs: Math.round(baselineSqlMs), ratio: Number((typical.ms / baselineSqlMs).toFixed(2)), peakRssMiB: MiB(peak.rss), signalsOpened,
      peakHeapMiB: MiB(peak.heapUsed), firstPassMs: Math.round(passes[0]!.ms), passesMs: passes.map((p) => Math.round(p.ms)), flowRowsPerPass: windowRows,
      seedMs: Math.round(seedMs), jobs: seeded.jobs, spans: seeded.spans,
    }));
  } finally {
    await cleanup();
  }
}

await main();
