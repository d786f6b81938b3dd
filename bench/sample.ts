// Offers the same open-loop load to the sample system in sync, async and async+cache mode and
// prints the seed's comparison table (stable RPS, HTTP p99, failure rate, notes) from this run;
// the last line is one JSON object with the figures per mode.
// Usage: tsx bench/sample.ts [--rate 90] [--duration 40s] [--modes sync,async,async+cache] [--otlp]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSampleSystem } from "../sample-system/index";
import { summariseRun, type RunSummary } from "../sample-system/load/latency-stats";
import { runOpenLoopLoad } from "../sample-system/load/load-generator";
import { requestMaker } from "../sample-system/load/prompts";
import { parseDurationMs } from "../sample-system/load/scenarios";
import { meanServiceTimeMs, type ServiceTime } from "../sample-system/worker/service-time";

type Mode = "sync" | "async" | "async+cache";
const { values } = parseArgs({ options: { rate: { type: "string" }, duration: { type: "string" }, modes: { type: "string" }, otlp: { type: "boolean" } } });
const RATE_PER_S = Number(values.rate ?? 90);
const DURATION_MS = parseDurationMs(values.duration ?? "40s");
const MODES = (values.modes ?? "sync,async,async+cache").split(",") as Mode[];
const WORKERS = 2;
const SLOTS = 4;
const SERVICE_TIME: ServiceTime = { distribution: "lognormal", medianMs: 120, sigma: 0.4 };
const SYNC_TIMEOUT_MS = 10_000; // what an ingress or client would allow (the seed's collapse is timeouts)
const HOT_PROMPT_RATIO = 0.35; // the seed's "35 % cache hit rate" assumption
const capacityPerS = (WORKERS * SLOTS * 1000) / meanServiceTimeMs(SERVICE_TIME);

type ModeResult = RunSummary & { mode: Mode; peakBacklog: number; immediateResults: number; httpTimeouts: number };

async function runMode(mode: Mode): Promise<ModeResult> {
  const artifactsDir = await mkdtemp(join(tmpdir(), "tg-bench-sample-"));
  const system = await startSampleSystem({
    env: {},
    mode,
    apiPort: 0,
    metricsPort: null,
    otlpEndpoint: values.otlp ? (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://127.0.0.1:4318") : null,
    artifactsDir,
    workers: WORKERS,
    gpuSlotsPerWorker: SLOTS,
    serviceTime: SERVICE_TIME,
    syncRequestTimeoutMs: SYNC_TIMEOUT_MS,
    backlogLimit: 5000,
    rateLimit: { ratePerS: 10_000, burst: 10_000 },
  });
  let peakBacklog = 0;
  const sampler = setInterval(() => (peakBacklog = Math.max(peakBacklog, system.depth().ready)), 250);
  try {
    const result = await runOpenLoopLoad({
      baseUrl: system.apiUrl,
      rateAt: () => RATE_PER_S,
      durationMs: DURATION_MS,
      maxInFlight: 5000,
      maxRequests: Math.ceil(RATE_PER_S * (DURATION_MS / 1000) * 2),
      clientTimeoutMs: SYNC_TIMEOUT_MS + 5000,
      makeRequest: requestMaker({ hotPromptRatio: HOT_PROMPT_RATIO, replayRatio: 0 }),
    });
    const summary = summariseRun(result.outcomes, { durationMs: DURATION_MS, windowStartMs: result.startedAtMs, droppedClientSide: result.droppedClientSide });
    const immediateResults = result.outcomes.filter((o) => o.status === 202 && o.jobStatus === "succeeded").length;
    return { mode, ...summary, peakBacklog, immediateResults, httpTimeouts: summary.byStatus["504"] ?? 0 };
  } finally {
    clearInterval(sampler);
    await system.stop();
    await rm(artifactsDir, { recursive: true, force: true });
  }
}

function notes(r: ModeResult): string {
  if (r.mode === "sync") return `${r.httpTimeouts} requests hit the ${SYNC_TIMEOUT_MS / 1000}s timeout: the API holds each request for a GPU slot`;
  const hits = r.mode === "async+cache" ? `; ${((100 * r.immediateResults) / Math.max(1, r.succeeded)).toFixed(0)}% answered from cache` : "";
  return `waiting moved to the queue (backlog peaked at ${r.peakBacklog})${hits}`;
}

const fmtMs = (ms: number | null) => (ms === null ? "-" : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms.toFixed(0)}ms`);
const results: ModeResult[] = [];
console.log(`offering ${RATE_PER_S} req/s for ${DURATION_MS / 1000}s to each mode; GPU capacity ≈ ${capacityPerS.toFixed(0)} jobs/s (${WORKERS} workers × ${SLOTS} slots, mean service ${meanServiceTimeMs(SERVICE_TIME).toFixed(0)} ms)`);
for (const mode of MODES) {
  console.log(`running ${mode}…`);
  results.push(await runMode(mode));
}
console.log("\n| Setup | API RPS (stable) | HTTP p99 | Failure rate | Notes |\n|---|---|---|---|---|");
const label: Record<Mode, string> = { sync: "Synchronous (API runs inference)", async: "Asynchronous (queue + workers)", "async+cache": "Async + cache (35% repeated inputs)" };
for (const r of results) console.log(`| ${label[r.mode]} | ${r.stableRps.toFixed(1)} | ${fmtMs(r.p99Ms)} | ${(100 * r.failureRatio).toFixed(1)}% | ${notes(r)} |`);
const base = results.find((r) => r.mode === "sync");
const asyncRun = results.find((r) => r.mode === "async");
if (base && asyncRun) console.log(`\nasync / sync stable RPS: ${(asyncRun.stableRps / Math.max(0.001, base.stableRps)).toFixed(2)}×`);
console.log(
  JSON.stringify({
    bench: "sample-system",
    offered_rate_per_s: RATE_PER_S,
    duration_s: DURATION_MS / 1000,
    gpu_capacity_per_s: Math.round(capacityPerS * 10) / 10,
    modes: Object.fromEntries(results.map((r) => [r.mode, { stable_rps: Math.round(r.stableRps * 10) / 10, http_p99_ms: r.p99Ms === null ? null : Math.round(r.p99Ms), failure_ratio: Math.round(r.failureRatio * 10_000) / 10_000, offered: r.offered, succeeded: r.succeeded, peak_backlog: r.peakBacklog, notes: notes(r) }])),
  }),
);
