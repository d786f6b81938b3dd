// Ingest benchmark: a child process sends realistic 1,000-span batches with the official OTLP/HTTP protobuf
// exporter to a receiver in this process that stores them for real; prints sustained spans/s, p99 request
// latency, peak RSS, and the ratio to the fastest raw bulk insert of the same rows into the same database in this
// run (bench/raw-insert.ts).
// Usage: npx tsx bench/ingest.ts [--db pglite|postgres] [--seconds N] [--inflight N]
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase, type Database } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrations";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { ByteBudget } from "../lib/telemetry/receive/byte-budget";
import { createOtlpHttpServer } from "../lib/telemetry/receive/http-receiver";
import type { IngestBatch, IngestSink } from "../lib/telemetry/receive/sink";
import { createTelemetrySink } from "../lib/telemetry/receive/store-sink";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { measureRawInsert } from "./raw-insert";
import type { SenderReport } from "./ingest-sender";

const { values } = parseArgs({ options: { db: { type: "string", default: "pglite" }, seconds: { type: "string", default: "20" }, inflight: { type: "string", default: "4" }, url: { type: "string" } } });
const kind = values.db === "postgres" ? "postgres" : "pglite";
const seconds = Number(values.seconds);
const BATCH = 1000;
const ADMIN_URL = values.url ?? process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function openTarget(): Promise<{ db: Database; cleanup(): Promise<void> }> {
  if (kind === "pglite") {
    const dir = await mkdtemp(path.join(tmpdir(), "tg-bench-"));
    const db = await openDatabase({ dataDir: dir });
    return { db, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `tg_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: "", poolSize: 10 });
  return { db, cleanup: async () => (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), await admin.end()) };
}

const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

async function main() {
  const { db, cleanup } = await openTarget();
  let peakRssBytes = 0;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 50);
  try {
    await applyMigrations(db.sql);
    const concurrency = kind === "pglite" ? 1 : 3;
    const writer = new TelemetryWriter({ sql: db.sql, concurrency, maxWaitingBatches: 16 });
    const inner = createTelemetrySink({ writer });
    // Keep the first requests exactly as received, for the raw-insert baseline over the same rows.
    const kept: IngestBatch[] = [];
    const sink: IngestSink = { accept: (b) => (kept.length < 20 && kept.push(b), inner.accept(b)), refusal: (signal) => inner.refusal?.(signal) ?? null };
    const server = createOtlpHttpServer({ sink, authorise: async () => ({ ok: true }), budget: new ByteBudget(256 * 1024 * 1024), maxRequestBytes: 32 * 1024 * 1024, requestTimeoutMs: 60_000, logger: createLogger({ level: "error", sink: () => undefined }), metrics: createMetrics() });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;

    const cpuBefore = process.cpuUsage();
    const child = fork(path.join(import.meta.dirname, "ingest-sender.ts"), [], { execArgv: ["--import", "tsx"] });
    child.send({ url, seconds, inflight: Number(values.inflight), batchSize: BATCH });
    const [report] = (await once(child, "message")) as [SenderReport];
    const cpu = process.cpuUsage(cpuBefore);
    server.close();
    const stored = Number((await db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM spans`))[0]?.n);
    const spansPerS = report.okSpans / (report.elapsedMs / 1000);
    const raw = await measureRawInsert(db.sql, kept, concurrency);
    const result = {
      db: kind, seconds, batchSize: BATCH, inflight: Number(values.inflight), writeConcurrency: concurrency,
      spansPerS: Math.round(spansPerS), acknowledgedSpans: report.okSpans, storedSpans: stored, failedRequests: report.failedRequests,
      p50RequestMs: Math.round(percentile(report.latenciesMs, 0.5)), p99RequestMs: Math.round(percentile(report.latenciesMs, 0.99)),
      peakRssMiB: Math.round(peakRssBytes / 1048576),
      receiverCpuMsPer1kSpans: Math.round((cpu.user + cpu.system) / 1000 / (report.okSpans / 1000)), senderCpuMsPer1kSpans: Math.round(report.cpuMs / (report.okSpans / 1000)), rawInsertRowsPerS: Math.round(raw.rowsPerS), rawInsertMethod: raw.method, rawCopyRowsPerS: Math.round(raw.byMethod.copy), rawJsonbRowsPerS: Math.round(raw.byMethod.jsonb),
      ratioToRawInsert: Number((spansPerS / raw.rowsPerS).toFixed(2)),
    };
    console.log(`${kind}: ${result.spansPerS} spans/s sustained over ${seconds} s (${report.okRequests} requests of ${BATCH}, ${report.failedRequests} failed), stored ${stored}`);
    console.log(`request latency p50 ${result.p50RequestMs} ms, p99 ${result.p99RequestMs} ms; peak RSS ${result.peakRssMiB} MiB`);
    console.log(`CPU per 1,000 spans: receiver ${result.receiverCpuMsPer1kSpans} ms, sender ${result.senderCpuMsPer1kSpans} ms (${os.cpus().length} cores)`);
    console.log(`raw bulk insert of the same rows: ${result.rawInsertRowsPerS} rows/s by ${raw.method} (COPY ${result.rawCopyRowsPerS}, jsonb INSERT ${result.rawJsonbRowsPerS}) → ratio ${result.ratioToRawInsert}`);
    console.log(JSON.stringify(result));
  } finally {
    clearInterval(sampler);
    await db.close();
    await cleanup();
  }
}

await main();
