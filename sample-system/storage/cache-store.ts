// Key-value stores for the result cache: Redis (shared by every process) or an in-process map.
import { Redis } from "ioredis";

export interface CacheStore {
  readonly system: "redis" | "memory";
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryCacheStore implements CacheStore {
  readonly system = "memory";
  private readonly entries = new Map<string, { value: string; expiresAtMs: number }>();
  constructor(private readonly maxEntries = 50_000) {}

  async get(key: string): Promise<string | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAtMs <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.value;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs: Date.now() + ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
  async flush(): Promise<void> {
    this.entries.clear();
  }
  async close(): Promise<void> {}
}

export class RedisCacheStore implements CacheStore {
  readonly system = "redis";
  private readonly redis: Redis;
  constructor(url: string, private readonly keyPrefix: string) {
    this.redis = new Redis(url, { keyPrefix, maxRetriesPerRequest: 1, lazyConnect: false, enableOfflineQueue: true });
    this.redis.on("error", () => undefined); // a lookup failing is a miss, reported on its span
  }
  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, "PX", ttlMs);
  }
  // SCAN patterns ignore keyPrefix, so the prefix is spelled out here and stripped for DEL.
  async flush(): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.keyPrefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys.map((k) => k.slice(this.keyPrefix.length)));
    } while (cursor !== "0");
  }
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
