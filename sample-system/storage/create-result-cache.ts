// Builds a component's result cache over a shared store, counting lookups and observing the hit ratio.
import type { SampleSystemConfig } from "../config";
import type { KnobBoard } from "../knobs";
import { ATTR } from "../telemetry/attributes";
import type { DualMeter } from "../telemetry/dual-meter";
import { METRICS } from "../telemetry/instruments";
import type { ComponentTelemetry } from "../telemetry/providers";
import type { CacheStore } from "./cache-store";
import { ResultCache } from "./result-cache";

export function createResultCache(options: { store: CacheStore; config: SampleSystemConfig; knobs: KnobBoard; telemetry: ComponentTelemetry; meter: DualMeter }): ResultCache {
  const requests = options.meter.counter(METRICS.cacheRequests);
  const cache = new ResultCache(options.store, {
    baseTtlMs: options.config.cacheTtlMs,
    jitterRatio: options.config.cacheTtlJitterRatio,
    knobs: options.knobs,
    tracer: options.telemetry.tracer,
    onLookup: (hit) => requests.add(1, { [ATTR.cacheResult]: hit ? "hit" : "miss" }),
  });
  options.meter.gauge(METRICS.cacheHitRatio, () => {
    const ratio = cache.hitRatio();
    return ratio === null ? [] : [{ value: ratio, attributes: { "service.component": options.telemetry.serviceName } }];
  });
  return cache;
}
