// Cache TTLs with jitter: entries written together expire apart, so one instant never sees them all miss.
export function jitteredTtlMs(options: { baseTtlMs: number; jitterRatio: number; random01: number }): number {
  const { baseTtlMs, jitterRatio, random01 } = options;
  // Symmetric around the base: the mean TTL stays what the operator configured.
  return Math.max(1, Math.round(baseTtlMs * (1 + jitterRatio * (2 * random01 - 1))));
}
