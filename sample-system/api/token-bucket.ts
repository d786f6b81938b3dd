// Per-client token-bucket rate limiting: bursts up to `burst`, sustained `ratePerS`; pure state updates.
export type TokenBucketPolicy = { ratePerS: number; burst: number };
export type TokenBucketState = { tokens: number; updatedAtMs: number };
export type TakeResult = { allowed: true; state: TokenBucketState } | { allowed: false; state: TokenBucketState; retryAfterMs: number };

export function refillBucket(policy: TokenBucketPolicy, state: TokenBucketState | undefined, nowMs: number): TokenBucketState {
  if (!state) return { tokens: policy.burst, updatedAtMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  return { tokens: Math.min(policy.burst, state.tokens + (elapsedMs / 1000) * policy.ratePerS), updatedAtMs: nowMs };
}

/** Takes one token if there is one; otherwise says how long until there will be. */
export function takeToken(policy: TokenBucketPolicy, state: TokenBucketState | undefined, nowMs: number): TakeResult {
  const refilled = refillBucket(policy, state, nowMs);
  if (refilled.tokens >= 1) return { allowed: true, state: { ...refilled, tokens: refilled.tokens - 1 } };
  const retryAfterMs = Math.ceil(((1 - refilled.tokens) / policy.ratePerS) * 1000);
  return { allowed: false, state: refilled, retryAfterMs };
}

/** Buckets by client ID; forgets the least recently used clients beyond `maxClients` so memory stays bounded. */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, TokenBucketState>();
  constructor(private readonly policy: TokenBucketPolicy, private readonly maxClients = 10_000) {}

  take(clientId: string, nowMs: number): TakeResult {
    const result = takeToken(this.policy, this.buckets.get(clientId), nowMs);
    this.buckets.delete(clientId);
    this.buckets.set(clientId, result.state);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return result;
  }
}
