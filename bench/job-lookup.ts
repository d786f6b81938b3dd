// Times job lookup by ID through the real read path (lib/telemetry/query/jobs.ts getJob: index row, the job's spans, the
// other spans of its traces, its logs) against a plain `SELECT * FROM spans WHERE job_id = $1` index scan, on a
// scratch PostgreSQL database loaded with 1 M and then 10 M spans (~10.4 per job, over 7 day partitions).
// `npx tsx bench/job-lookup.ts [--sizes 1000000,10000000] [--lookups 500] [--keep]` (--keep leaves the database to explore)
import { createHash } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrations";
import { dayOfNs, partitionDdl } from "../lib/telemetry/write/partitions";
import { getJob } from "../lib/telemetry/query/jobs";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const SIZES = arg("sizes", "1000000,10000000").split(",").map(Number);
const LOOKUPS = Number(arg("lookups", "500"));
const KEEP = process.argv.includes("--keep");
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DAYS = 7;
const MS = 1_000_000n;
const END_NS = BigInt(Date.now()) * MS;
const START_NS = END_NS - BigInt(DAYS) * 86_400_000n * MS;
/** Every 10th job fails once and retries in a second trace: 10 spans per job, 14 for a retried one. */
const SPANS_PER_JOB = 10.4;
const CHUNK_JOBS = 20_000;

const jobIdOf = (j: number) => createHash("md5").update(`job-${j}`).digest("hex");

// One job's spans as the sample system makes them: API accept, DB insert, publish; a consumer with a feature-store
// call, inference, DB update and upload; a completion publish and a status poll. DB calls carry no job.id.
const SPAN_SHAPES = `(VALUES
  (0, 1, 'api', 'POST /v1/jobs', 'SERVER', NULL::int, 0, 40, true),
  (1, 1, 'api', 'INSERT jobs', 'CLIENT', 0, 5, 8, false),
  (2, 1, 'api', 'publish jobs', 'PRODUCER', 0, 20, 4, true),
  (3, 1, 'worker', 'process jobs', 'CONSUMER', 2, 900, 5000, true),
  (4, 1, 'worker', 'GET feature-store', 'CLIENT', 3, 950, 30, true),
  (5, 1, 'worker', 'gpu inference', 'INTERNAL', 3, 1000, 3500, true),
  (6, 1, 'worker', 'UPDATE jobs', 'CLIENT', 3, 4550, 10, false),
  (7, 1, 'worker', 'PUT artifacts', 'CLIENT', 3, 4600, 250, true),
  (8, 1, 'worker', 'publish jobs.done', 'PRODUCER', 3, 4870, 3, true),
  (9, 1, 'api', 'GET /v1/jobs/{id}', 'SERVER', NULL, 6000, 5, true),
  (10, 2, 'worker', 'process jobs', 'CONSUMER', NULL, 9000, 4000, true),
  (11, 2, 'worker', 'gpu inference', 'INTERNAL', 10, 9050, 3500, true),
  (12, 2, 'worker', 'UPDATE jobs', 'CLIENT', 10, 12600, 10, false),
  (13, 2, 'worker', 'PUT artifacts', 'CLIENT', 10, 12700, 250, true)
) AS s(k, attempt, service, name, kind, parent_k, off_ms, dur_ms, has_job)`;

// Per job j: its start spreads jobs evenly over the 7 days (so ~10 jobs overlap and their spans interleave on disk).
const JOB_FIELDS = `md5('job-' || j) AS job_id, $3::bigint + (j * $4::bigint) AS t0, lpad(to_hex(j), 32, '0') AS trace1, lpad(to_hex(j + 1000000000000), 32, '0') AS trace2, j % 10 = 0 AS retried`;

const INSERT_SPANS = `INSERT INTO spans (trace_id, span_id, parent_span_id, service, name, kind, status_code, status_message, start_ns, end_ns, duration_ns,
  job_id, job_attempt, messaging_system, messaging_operation, messaging_destination, attributes, resource, events, links)
SELECT CASE WHEN s.attempt = 1 THEN x.trace1 ELSE x.trace2 END, lpad(to_hex(j * 16 + s.k), 16, '0'),
  CASE WHEN s.parent_k IS NULL THEN NULL ELSE lpad(to_hex(j * 16 + s.parent_k), 16, '0') END,
  s.service, s.name, s.kind, CASE WHEN x.retried AND s.k IN (3, 5) THEN 'ERROR' ELSE 'UNSET' END, CASE WHEN x.retried AND s.k IN (3, 5) THEN 'CUDA out of memory' ELSE '' END,
  x.t0 + s.off_ms::bigint * 1000000, x.t0 + (s.off_ms + s.dur_ms)::bigint * 1000000, s.dur_ms::bigint * 1000000,
  CASE WHEN s.has_job THEN x.job_id END, CASE WHEN s.has_job AND s.service = 'worker' THEN s.attempt END,
  CASE WHEN s.kind IN ('PRODUCER', 'CONSUMER') THEN 'rabbitmq' END, CASE s.kind WHEN 'PRODUCER' THEN 'publish' WHEN 'CONSUMER' THEN 'process' END,
  CASE WHEN s.kind IN ('PRODUCER', 'CONSUMER') THEN 'jobs' END,
  jsonb_build_object('job.id', x.job_id, 'gpu.id', 'gpu-' || (j % 8), 'http.route', '/v1/jobs', 'sample.worker.id', 'worker-' || (j % 24), 'sample.model', 'llama-3-8b'),
  jsonb_build_object('service.name', s.service, 'service.instance.id', s.service || '-' || (j % 24), 'telemetry.sdk.language', 'nodejs', 'telemetry.sdk.version', '1.30.0'),
  '[]'::jsonb, CASE WHEN s.k = 10 THEN jsonb_build_array(jsonb_build_object('traceId', x.trace1, 'spanId', lpad(to_hex(j * 16 + 3), 16, '0'))) ELSE '[]'::jsonb END
FROM generate_series($1::bigint, $2::bigint) AS j, LATERAL (SELECT ${JOB_FIELDS}) x, ${SPAN_SHAPES}
WHERE s.attempt = 1 OR x.retried
ORDER BY 9`;

const INSERT_JOBS = `INSERT INTO jobs (job_id, first_seen_ns, last_seen_ns, attempts, max_job_attempt, consumer_span_ids, status, status_time_ns, services, trace_ids, queues,
  error_message, error_time_ns, queue_ns, worker_ns)
SELECT x.job_id, x.t0, x.t0 + CASE WHEN x.retried THEN 12950 ELSE 6005 END::bigint * 1000000, CASE WHEN x.retried THEN 2 ELSE 1 END, CASE WHEN x.retried THEN 2 ELSE 1 END,
  CASE WHEN x.retried THEN ARRAY[lpad(to_hex(j * 16 + 3), 16, '0'), lpad(to_hex(j * 16 + 10), 16, '0')] ELSE ARRAY[lpad(to_hex(j * 16 + 3), 16, '0')] END,
  'succeeded', x.t0 + CASE WHEN x.retried THEN 13000 ELSE 5900 END::bigint * 1000000, ARRAY['api', 'worker'],
  CASE WHEN x.retried THEN ARRAY[x.trace1, x.trace2] ELSE ARRAY[x.trace1] END, ARRAY['jobs'],
  CASE WHEN x.retried THEN 'CUDA out of memory' END, CASE WHEN x.retried THEN x.t0 + 5900000000 END,
  CASE WHEN x.retried THEN 876000000 + 3100000000 ELSE 876000000 END::bigint, CASE WHEN x.retried THEN 9000000000 ELSE 5000000000 END::bigint
FROM generate_series($1::bigint, $2::bigint) AS j, LATERAL (SELECT ${JOB_FIELDS}) x`;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

/** Loads jobs [fromJob, toJob] (spans and index rows) in chunks, with a progress line. */
async function load(db: Database, fromJob: number, toJob: number, totalJobs: number): Promise<void> {
  const stepNs = (END_NS - START_NS - 20_000n * MS) / BigInt(totalJobs);
  const started = performance.now();
  for (let first = fromJob; first <= toJob; first += CHUNK_JOBS) {
    const last = Math.min(toJob, first + CHUNK_JOBS - 1);
    const params = [first, last, String(START_NS), String(stepNs)];
    await db.sql.query(INSERT_SPANS, params);
    await db.sql.query(INSERT_JOBS, params);
    const done = last - fromJob + 1;
    const seconds = (performance.now() - started) / 1000;
    const spans = Math.round(done * SPANS_PER_JOB);
    process.stderr.write(`\r  loaded ${(last * SPANS_PER_JOB / 1e6).toFixed(2)} M spans (${last.toLocaleString()} jobs) · ${Math.round(spans / seconds).toLocaleString()} spans/s   `);
  }
  process.stderr.write("\n");
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function measure(db: Database, jobs: number): Promise<{ getJob: number[]; baseline: number[]; spans: number }> {
  const ids = Array.from({ length: LOOKUPS }, (_, i) => jobIdOf(1 + Math.floor((((i * 2_654_435_761) % 2 ** 32) / 2 ** 32) * jobs)));
  const baselineSql = "SELECT * FROM spans WHERE job_id = $1";
  // Warm-up: plans, connections and the indexes' upper levels.
  for (const id of ids.slice(0, 50)) {
    await getJob(db.sql, id);
    await db.sql.query(baselineSql, [id]);
  }
  const out = { getJob: [] as number[], baseline: [] as number[], spans: 0 };
  for (const [i, id] of ids.entries()) {
    // Alternate which goes first, so neither always finds the other's pages already cached.
    const runs: Array<[keyof typeof out & ("getJob" | "baseline"), () => Promise<number>]> = [
      ["getJob", async () => (await getJob(db.sql, id)).spans.length],
      ["baseline", async () => (await db.sql.query(baselineSql, [id])).length],
    ];
    if (i % 2 === 1) runs.reverse();
    for (const [name, run] of runs) {
      const t = performance.now();
      const n = await run();
      out[name].push(performance.now() - t);
      if (name === "getJob") out.spans += n;
    }
  }
  out.getJob.sort((a, b) => a - b);
  out.baseline.sort((a, b) => a - b);
  return out;
}

async function main(): Promise<void> {
  const name = `tg_bench_job_lookup_${process.pid}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: "memory://" });
  try {
    await applyMigrations(db.sql);
    for (let day = dayOfNs(START_NS); day <= dayOfNs(END_NS); day++) await db.sql.exec(partitionDdl("spans", day));
    console.log(`job lookup by ID on PostgreSQL (${(await db.sql.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v}), ${LOOKUPS} random job IDs per size, spans over ${DAYS} day partitions`);
    let loadedJobs = 0;
    for (const size of SIZES) {
      const jobs = Math.round(size / SPANS_PER_JOB);
      const t = performance.now();
      await load(db, loadedJobs + 1, jobs, Math.round(Math.max(...SIZES) / SPANS_PER_JOB));
      loadedJobs = jobs;
      await db.sql.exec("VACUUM ANALYZE spans");
      await db.sql.exec("VACUUM ANALYZE jobs");
      const [count] = await db.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM spans");
      console.log(`${Number(count?.n).toLocaleString()} spans, ${jobs.toLocaleString()} jobs, loaded and analysed in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      const m = await measure(db, jobs);
      const row = (label: string, xs: number[]) => `  ${label.padEnd(44)} p50 ${percentile(xs, 0.5).toFixed(2).padStart(7)} ms   p99 ${percentile(xs, 0.99).toFixed(2).padStart(7)} ms`;
      console.log(row("getJob (row + job spans + trace spans + logs)", m.getJob));
      console.log(row("baseline SELECT * FROM spans WHERE job_id", m.baseline));
      console.log(`  ratio getJob / baseline: p50 ${(percentile(m.getJob, 0.5) / percentile(m.baseline, 0.5)).toFixed(2)}×, p99 ${(percentile(m.getJob, 0.99) / percentile(m.baseline, 0.99)).toFixed(2)}× · ${(m.spans / LOOKUPS).toFixed(1)} spans per job returned`);
    }
  } finally {
    await db.close();
    if (KEEP) console.log(`kept database ${name}`);
    else await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
