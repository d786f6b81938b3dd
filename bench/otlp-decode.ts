// Measures OTLP trace decode + normalise throughput (spans/s) for protobuf and OTLP/JSON, against the raw parsers.
import { decodeTraceRequest } from "../lib/otlp/decode";
import { traceCollector } from "../lib/otlp/generated";
import { normaliseTraces } from "../lib/otlp/normalise-traces";
import { BASE_UNIX_NANO, buildTraceBatch, encodeTraceJson } from "../lib/otlp/test-fixtures";

const SPANS_PER_REQUEST = 1_000;
const DURATION_MS = 2_000;
const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;

const batch = buildTraceBatch(SPANS_PER_REQUEST);
const protobuf = encodeTraceJson(batch);
const json = JSON.stringify(batch);

/** Runs `work` repeatedly for DURATION_MS after a warm-up and returns spans per second. */
function spansPerSecond(work: () => void): number {
  for (let i = 0; i < 50; i++) work();
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(DURATION_MS) * 1_000_000n) {
    work();
    runs++;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return (runs * SPANS_PER_REQUEST) / (Number(elapsedNs) / 1e9);
}

function normaliseOrThrow(body: Uint8Array | string, encoding: "protobuf" | "json"): void {
  const decoded = decodeTraceRequest(body, encoding);
  if (!decoded.ok) throw new Error(decoded.reason);
  const result = normaliseTraces(decoded.value, { nowUnixNano: NOW });
  if (result.spans.length !== SPANS_PER_REQUEST) throw new Error(`normalised ${result.spans.length} spans`);
}

const rows: Array<[string, number]> = [
  ["protobufjs decode only (baseline)", spansPerSecond(() => traceCollector.request.decode(protobuf))],
  ["JSON.parse only (baseline)", spansPerSecond(() => JSON.parse(json))],
  ["protobuf decode + normalise", spansPerSecond(() => normaliseOrThrow(protobuf, "protobuf"))],
  ["JSON.parse + normalise", spansPerSecond(() => normaliseOrThrow(json, "json"))],
];

const perSecond = new Map(rows);
console.log(`request: ${SPANS_PER_REQUEST} spans, ~10 attributes each; protobuf ${protobuf.length} B, JSON ${json.length} B`);
for (const [name, value] of rows) console.log(`${name.padEnd(36)} ${Math.round(value).toLocaleString("en-US").padStart(10)} spans/s`);
const ratio = (perSecond.get("protobuf decode + normalise") ?? 0) / (perSecond.get("JSON.parse + normalise") ?? 1);
console.log(`ratio protobuf / JSON (decode + normalise): ${ratio.toFixed(2)}`);
console.log(`share of protobuf time in the generated decoder: ${((perSecond.get("protobuf decode + normalise") ?? 0) / (perSecond.get("protobufjs decode only (baseline)") ?? 1) * 100).toFixed(0)}%`);
