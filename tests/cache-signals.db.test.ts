import { beforeAll, expect, it } from "vitest";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { ThresholdConfigSchema } from "../lib/signals/core/thresholds";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { DETECTION_STEP_SECONDS, getSignal, listSignals, runDetection } from "../lib/signals/store/signals";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

const S = 1000n * MS;
const thresholds = ThresholdConfigSchema.parse({});
// The api looks every request up in its cache and publishes a job on a miss. 20 requests/s, 80 % hits;
// at FLUSH the cache is emptied and hot entries keep expiring together: 40 % hits for two minutes.
const FLUSH = 30 * 60;
const END = FLUSH + 120;

let n = 0;
function requestSpans(second: number, k: number): SpanSpec[] {
  const i = second * 20 + k;
  const hitRatio = second >= FLUSH ? 0.4 : 0.8;
  const hit = (i * 7919) % 100 < hitRatio * 100;
  const trace = hexId(32, 0x200000 + i);
  const start = T0 + BigInt(second) * S + BigInt(k * 50) * MS;
  const spans: SpanSpec[] = [
    { service: "api", traceId: trace, spanId: hexId(16, ++n), name: "GET result-cache", kind: 3, startNs: start, durationMs: 1, attributes: { "db.system": "redis", "sample.cache.result": hit ? "hit" : "miss" } },
  ];
  if (!hit) {
    spans.push({ service: "api", traceId: trace, spanId: hexId(16, ++n), name: "jobs publish", kind: 4, startNs: start + 2n * MS, durationMs: 1, attributes: { "job.id": `job-${i}`, "messaging.system": "rabbitmq", "messaging.operation.type": "send", "messaging.destination.name": "jobs" } });
  }
  return spans;
}

describeEachDatabase("cache-stampede signals", ({ db }) => {
  beforeAll(async () => {
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 4, nowMs: () => Number((T0 + BigInt(END) * S) / MS) });
    for (let from = FLUSH - 15 * 60; from < END; from += 60) {
      const specs: SpanSpec[] = [];
      for (let second = from; second < from + 60; second++) for (let k = 0; k < 20; k++) specs.push(...requestSpans(second, k));
      await writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + BigInt(END) * S }).spans);
    }
  });

  it("opens a cache-stampede signal for the api's cache within a minute of the flush, from traced lookups", async () => {
    const detectAt = (second: number) => runDetection(db(), { now: new Date(Number((T0 + BigInt(second) * S) / MS)), lagSeconds: 10, thresholds });
    let openedAt: number | null = null;
    for (let second = FLUSH - 60; second <= END && openedAt === null; second += DETECTION_STEP_SECONDS) {
      if ((await detectAt(second)).opened > 0) openedAt = second;
    }
    expect(openedAt).not.toBeNull();
    // Nothing during the healthy minute before the flush; open within 45 s after it.
    expect(openedAt as number).toBeGreaterThan(FLUSH);
    expect((openedAt as number) - FLUSH).toBeLessThanOrEqual(45);
    const [signal] = await listSignals(db(), { status: "open" });
    expect(signal).toMatchObject({ kind: "cache_stampede", resource: "cache of api", services: ["api"], severity: "critical" });
    const detail = await getSignal(db(), signal?.id as string);
    expect(detail.summary).toMatch(/hit ratio fell to 4\d % in the last 10 s from 80 %/);
    expect(detail.charts.map((c) => c.name)).toEqual(["cache of api hit ratio", "cache of api lookups/min", "api published/min"]);
  });
});
