// Seeds two service.versions of a service with server spans, as the canary gate tests need them.
import type { Database } from "../../lib/db/client";
import { SYSTEM_ACTOR } from "../../lib/auth/core/scopes";
import { createLogger } from "../../lib/observability/logger";
import type { SloDefinitionInput } from "../../lib/slo/core/definition";
import { evaluateAllSlos } from "../../lib/slo/store/evaluate";
import { createSloCache } from "../../lib/slo/store/rollups";
import { createSlo } from "../../lib/slo/store/slos";
import { normaliseTraces } from "../../lib/telemetry/core/otlp/normalise-traces";
import { TelemetryWriter } from "../../lib/telemetry/write/writer";
import { hexId, kv, MS, type SpanSpec, traceRequest } from "./telemetry-fixtures";

const MINUTE_NS = 60_000n * MS;
/** `count` spans over the last `fromMin` minutes (default 20) up to a minute ago. */
export type VersionTraffic = { version: string; count: number; errorEvery?: number; fromMin?: number };

/**
 * An availability SLO for `service` and, per version, `count` server spans spread evenly over its minutes
 * (every `errorEvery`-th fails). `idBase` keeps trace ids apart between services.
 */
export async function seedCanary(db: Database, o: { service: string; idBase: number; versions: VersionTraffic[] }): Promise<void> {
  const nowNs = BigInt(Date.now()) * MS;
  await createSlo({ db, actor: SYSTEM_ACTOR }, {
    name: `${o.service}-availability`, service: o.service, sli: { kind: "availability", selector: { service: o.service, spanKind: "server" } },
    objectivePercent: "80", window: { type: "rolling", durationDays: 7 },
  } as SloDefinitionInput);
  let id = o.idBase;
  for (const v of o.versions) {
    const fromMin = BigInt(v.fromMin ?? 20);
    const stepNs = ((fromMin - 1n) * MINUTE_NS) / BigInt(v.count);
    const specs: SpanSpec[] = Array.from({ length: v.count }, (_, i) => {
      const n = id++;
      return { service: o.service, traceId: hexId(32, n), spanId: hexId(16, n), name: "GET /items", kind: 2, startNs: nowNs - fromMin * MINUTE_NS + BigInt(i) * stepNs, durationMs: 80 + (i % 40), error: v.errorEvery !== undefined && i % v.errorEvery === 0 };
    });
    const request = traceRequest(specs);
    for (const rs of request.resourceSpans) rs.resource.attributes.push(...kv({ "service.version": v.version }));
    const writer = new TelemetryWriter({ sql: db.sql, concurrency: 1, maxWaitingBatches: 4, slos: createSloCache(db) });
    await writer.writeSpans(normaliseTraces(request, { nowUnixNano: nowNs }).spans);
  }
}

/** Evaluates every SLO once, so the gate has fresh figures. */
export async function evaluateSlosNow(db: Database): Promise<void> {
  await evaluateAllSlos({ db, logger: createLogger({ level: "error", sink: () => undefined }), now: new Date() });
}
