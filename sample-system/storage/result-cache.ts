// Cache-aside for inference results keyed by the input's hash: lookups and fills are CLIENT spans,
// TTLs carry jitter (unless a scenario turns protection off), and the hit ratio is kept per minute.
import { SpanKind, type Context, type Tracer } from "@opentelemetry/api";
import type { KnobBoard } from "../knobs";
import { ATTR } from "../telemetry/attributes";
import { inSpan } from "../telemetry/spans";
import type { CacheStore } from "./cache-store";
import { jitteredTtlMs } from "./ttl-jitter";

export type CacheJobRef = { jobId: string; attempt: number };

export class ResultCache {
  // Per-second hit/miss buckets over the last minute: a ratio that recovers after a stampede.
  private readonly buckets = new Map<number, { hits: number; misses: number }>();

  constructor(
    private readonly store: CacheStore,
    private readonly options: { baseTtlMs: number; jitterRatio: number; knobs: KnobBoard; tracer: Tracer; onLookup: (hit: boolean) => void },
  ) {
    let generation = options.knobs.get().cacheFlushGeneration;
    options.knobs.subscribe((k) => {
      if (k.cacheFlushGeneration !== generation) {
        generation = k.cacheFlushGeneration;
        void this.store.flush().catch(() => undefined);
      }
    });
  }

  private spanAttributes(operation: string, job: CacheJobRef) {
    return { [ATTR.dbSystem]: this.store.system === "redis" ? "redis" : "sample.memory", [ATTR.dbOperation]: operation, [ATTR.jobId]: job.jobId, [ATTR.jobAttempt]: job.attempt };
  }

  async lookup(inputSha256: string, job: CacheJobRef, parent: Context): Promise<string | null> {
    return inSpan(this.options.tracer, "GET result-cache", { kind: SpanKind.CLIENT, attributes: this.spanAttributes("GET", job), parent }, async (span) => {
      let value: string | null = null;
      try {
        value = await this.store.get(`result:${inputSha256}`);
      } catch (err) {
        span.setAttribute(ATTR.errorType, (err as Error).name); // an unreachable cache degrades to a miss
      }
      span.setAttribute(ATTR.cacheResult, value ? "hit" : "miss");
      this.count(value !== null);
      return value;
    });
  }

  async fill(inputSha256: string, resultUri: string, job: CacheJobRef, parent: Context): Promise<void> {
    const k = this.options.knobs.get();
    const ttlMs = jitteredTtlMs({ baseTtlMs: k.cacheTtlMs ?? this.options.baseTtlMs, jitterRatio: k.cacheStampedeProtection ? this.options.jitterRatio : 0, random01: Math.random() });
    await inSpan(this.options.tracer, "SET result-cache", { kind: SpanKind.CLIENT, attributes: { ...this.spanAttributes("SET", job), "sample.cache.ttl_ms": ttlMs }, parent }, () =>
      this.store.set(`result:${inputSha256}`, resultUri, ttlMs).catch(() => undefined),
    );
  }

  private count(hit: boolean): void {
    this.options.onLookup(hit);
    const second = Math.floor(Date.now() / 1000);
    const b = this.buckets.get(second) ?? { hits: 0, misses: 0 };
    if (hit) b.hits++;
    else b.misses++;
    this.buckets.set(second, b);
    for (const s of this.buckets.keys()) if (s < second - 60) this.buckets.delete(s);
  }

  /** Hits over lookups in the last 60 s; null when there were no lookups. */
  hitRatio(): number | null {
    const since = Math.floor(Date.now() / 1000) - 60;
    let hits = 0;
    let total = 0;
    for (const [s, b] of this.buckets) if (s >= since) {
      hits += b.hits;
      total += b.hits + b.misses;
    }
    return total === 0 ? null : hits / total;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
