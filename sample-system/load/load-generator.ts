// Open-loop load: Poisson arrivals at a rate that may change over time, sent without waiting for
// earlier answers, with a bound on requests in flight (over it an arrival is dropped and counted)
// and on the total count. Loopback targets only.
import { setMaxListeners } from "node:events";
import type { RequestOutcome } from "./latency-stats";

export type LoadRequest = { path: string; body: unknown; headers: Record<string, string> };
export type LoadOptions = {
  baseUrl: string;
  rateAt: (elapsedMs: number) => number;
  durationMs: number;
  maxInFlight: number;
  maxRequests: number;
  clientTimeoutMs: number;
  makeRequest: (index: number) => LoadRequest;
  /** Share of accepted jobs whose status is read back once (GET /v1/jobs/:id) a second later. */
  statusPollRatio?: number;
  onOutcome?: (outcome: RequestOutcome) => void;
  signal?: AbortSignal;
};
export type LoadResult = { outcomes: RequestOutcome[]; droppedClientSide: number; startedAtMs: number; endedAtMs: number };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`the load generator only targets loopback addresses, not ${host}`);
}

async function send(baseUrl: string, req: LoadRequest, timeoutMs: number, stop?: AbortSignal): Promise<{ status: number; body: unknown }> {
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetch(new URL(req.path, baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", ...req.headers },
      body: JSON.stringify(req.body),
      signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return { status: 0, body: null }; // no answer: timeout or connection refused/reset
  }
}

export async function runOpenLoopLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.baseUrl);
  const outcomes: RequestOutcome[] = [];
  const pending = new Set<Promise<void>>();
  const statusPolls = new Set<NodeJS.Timeout>();
  const statusReads = new Set<Promise<void>>();
  let dropped = 0;
  let sent = 0;
  const startedAtMs = Date.now();
  const t0 = performance.now();
  let nextArrivalMs = 0;
  // Every request in flight listens for the stop: one signal of our own, linked once to the caller's.
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const onStop = () => stopping.abort();
  if (options.signal?.aborted) stopping.abort();
  else options.signal?.addEventListener("abort", onStop, { once: true });

  const fire = () => {
    if (pending.size >= options.maxInFlight) {
      dropped++;
      return;
    }
    const index = sent++;
    const started = performance.now();
    const startedAt = Date.now();
    const p = send(options.baseUrl, options.makeRequest(index), options.clientTimeoutMs, stopping.signal).then(({ status, body }) => {
      // A request the caller abandoned by stopping the load says nothing about the system.
      if (stopping.signal.aborted && status === 0) return;
      const jobStatus = (body as { status?: unknown } | null)?.status;
      const outcome: RequestOutcome = { startedAtMs: startedAt, latencyMs: performance.now() - started, status, ...(typeof jobStatus === "string" ? { jobStatus } : {}) };
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
      const jobId = (body as { job_id?: string } | null)?.job_id;
      if (status === 202 && jobId && Math.random() < (options.statusPollRatio ?? 0)) {
        const poll = setTimeout(() => {
          statusPolls.delete(poll);
          const read = fetch(new URL(`/v1/jobs/${jobId}`, options.baseUrl), { signal: AbortSignal.timeout(5000) })
            .then((r) => r.arrayBuffer())
            .then(() => undefined, () => undefined);
          statusReads.add(read);
          void read.finally(() => statusReads.delete(read));
        }, 1000);
        statusPolls.add(poll);
      }
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  while (!stopping.signal.aborted && sent + dropped < options.maxRequests) {
    const elapsedMs = performance.now() - t0;
    if (elapsedMs >= options.durationMs) break;
    while (nextArrivalMs <= elapsedMs && sent + dropped < options.maxRequests) {
      fire();
      const rate = Math.max(1e-6, options.rateAt(nextArrivalMs));
      nextArrivalMs += (-Math.log(1 - Math.random()) * 1000) / rate;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.max(1, nextArrivalMs - (performance.now() - t0)))));
  }
  // Status reads not yet due are dropped: the load ends when this returns, with nothing left behind.
  while (pending.size > 0 || statusReads.size > 0) {
    await Promise.allSettled([...pending, ...statusReads]);
    for (const poll of statusPolls) clearTimeout(poll);
    statusPolls.clear();
  }
  options.signal?.removeEventListener("abort", onStop);
  return { outcomes, droppedClientSide: dropped, startedAtMs, endedAtMs: Date.now() };
}
