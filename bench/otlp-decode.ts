// Measures OTLP trace decode + normalise throughput (spans/s): the generated protobufjs decoder + normaliseTraces (old)
// against the fast decoder + finishSpanRows (new, what the receivers run), with OTLP/JSON and the bare parsers as
// baselines, on two 1,000-span requests: the test fixture, and the ingest benchmark's batch as the official exporter
// serializes it. Rounds are interleaved and timed by wall clock and by this process's CPU time, which a busy shared
// machine disturbs less. Usage: npx tsx bench/otlp-decode.ts [--rounds N]
import { createRequire } from "node:module";
import { isDeepStrictEqual, parseArgs } from "node:util";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { decodeTraceBatch } from "../lib/telemetry/receive/trace-batch";
import { decodeTraceRequest } from "../lib/telemetry/core/otlp/decode";
import { traceCollector } from "../lib/telemetry/core/otlp/generated";
import { normaliseTraces, type NormaliseTracesResult } from "../lib/telemetry/core/otlp/normalise-traces";
import { finishSpanRows } from "../lib/telemetry/core/otlp/pending-span-rows";
import { BASE_UNIX_NANO, buildTraceBatch, encodeTraceJson } from "../tests/fixtures/otlp-payloads";
import { makeBatch } from "./ingest-batches";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "8" } } });
const ROUNDS = Number(values.rounds);
const ROUND_MS = 250;
const SPANS = 1_000;

type Serializer = { serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined };
const exporterRequire = createRequire(createRequire(import.meta.url).resolve("@opentelemetry/exporter-trace-otlp-proto"));
const exporterSerializer = (exporterRequire("@opentelemetry/otlp-transformer") as { ProtobufTraceSerializer: Serializer }).ProtobufTraceSerializer;

interface Payload {
  name: string;
  protobuf: Buffer;
  json: string | null;
  nowUnixNano: bigint;
}

const fixture = buildTraceBatch(SPANS);
const payloads: Payload[] = [
  { name: "fixture (buildTraceBatch, protobufjs-encoded)", protobuf: Buffer.from(encodeTraceJson(fixture)), json: JSON.stringify(fixture), nowUnixNano: BASE_UNIX_NANO + 3_600_000_000_000n },
  { name: "ingest bench batch (exporter-trace-otlp-proto 0.301 serializer)", protobuf: Buffer.from(exporterSerializer.serializeRequest(makeBatch(SPANS)) ?? []), json: null, nowUnixNano: BigInt(Date.now()) * 1_000_000n },
];

function oldPath(body: Uint8Array | string, encoding: "protobuf" | "json", nowUnixNano: bigint): NormaliseTracesResult {
  const decoded = decodeTraceRequest(body, encoding);
  if (!decoded.ok) throw new Error(decoded.reason);
  return normaliseTraces(decoded.value, { nowUnixNano });
}

function newPath(body: Buffer, nowUnixNano: bigint): NormaliseTracesResult {
  const decoded = decodeTraceBatch(body, "protobuf");
  if (!decoded.ok || decoded.value.signal !== "traces" || !decoded.value.rows) throw new Error("the fast decoder did not take the body");
  return finishSpanRows(decoded.value.rows, { nowUnixNano });
}

interface Rate {
  wall: number;
  cpu: number;
}

/** Median spans/s over interleaved rounds, by wall clock and by process CPU time. */
function measure(cases: Array<[string, () => unknown]>): Map<string, Rate> {
  const samples = new Map<string, { wall: number[]; cpu: number[] }>(cases.map(([name]) => [name, { wall: [], cpu: [] }]));
  for (const [, work] of cases) for (let i = 0; i < 30; i++) work();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, work] of cases) {
      let runs = 0;
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      while (performance.now() - start < ROUND_MS) {
        work();
        runs++;
      }
      const wallS = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const sample = samples.get(name)!;
      sample.wall.push((runs * SPANS) / wallS);
      sample.cpu.push((runs * SPANS) / ((cpu.user + cpu.system) / 1e6));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  return new Map([...samples].map(([name, s]) => [name, { wall: median(s.wall), cpu: median(s.cpu) }]));
}

const format = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);

for (const payload of payloads) {
  if (!isDeepStrictEqual(newPath(payload.protobuf, payload.nowUnixNano), oldPath(payload.protobuf, "protobuf", payload.nowUnixNano))) {
    throw new Error(`${payload.name}: the fast path's rows differ from the generated path's`);
  }
  const cases: Array<[string, () => unknown]> = [
    ["protobufjs decode only (baseline)", () => traceCollector.request.decode(payload.protobuf)],
    ["old: generated decode + normalise", () => oldPath(payload.protobuf, "protobuf", payload.nowUnixNano)],
    ["new: fast decode + finish rows", () => newPath(payload.protobuf, payload.nowUnixNano)],
  ];
  const json = payload.json;
  if (json !== null) cases.push(["OTLP/JSON: JSON.parse + normalise", () => oldPath(json, "json", payload.nowUnixNano)]);
  const rates = measure(cases);
  console.log(`\n${payload.name}: ${SPANS} spans, protobuf ${payload.protobuf.length} B; median of ${ROUNDS} interleaved rounds`);
  console.log(`${"".padEnd(36)} ${"wall".padStart(10)} ${"CPU".padStart(10)}  spans/s`);
  for (const [name, rate] of rates) console.log(`${name.padEnd(36)} ${format(rate.wall)} ${format(rate.cpu)}`);
  const before = rates.get("old: generated decode + normalise")!;
  const after = rates.get("new: fast decode + finish rows")!;
  console.log(`ratio new / old: ${(after.wall / before.wall).toFixed(2)} by wall clock, ${(after.cpu / before.cpu).toFixed(2)} by CPU time`);
}
